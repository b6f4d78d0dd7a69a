package main

// perfTemplate renders templates/guides/performance.md.tmpl (which
// tfplugindocs turns into docs/guides/performance.md). Delimiters are [[ ]]
// so the output stays a valid tfplugindocs template.
const perfTemplate = `---
page_title: "Performance"
subcategory: "Guides"
description: |-
  Measured speed of the pipesolar provider against the bundled mock API.
---

# Performance

These figures come from ` + "`make bench`" + ` (` + "`cmd/pipesolar-bench`" + `), which builds the
provider, starts the bundled mock API on loopback and runs the Terraform on
PATH against it. The mock answers in microseconds, so the figures show the
cost of Terraform and the provider themselves; against the real services,
network latency adds to every refresh (see (b) for how it scales).

Measured on [[.Date]]: [[.Machine]].

| benchmark | wall time | API requests | provider peak memory |
|---|---:|---:|---:|
[[range .Results]]| [[.Name]] [[.Note]] | [[call $.Round .Wall]] | [[if .Calls]][[.Calls]][[else]]-[[end]] | [[call $.Mib .PeakRSS]] |
[[end]]
- **(a)** refreshing [[.N]] projects costs **[[.Ratio]]×** the time Terraform needs to
  plan [[.N]] ` + "`terraform_data`" + ` resources carrying 60 attributes each (the same amount
  of data, with no provider at all), and makes exactly one ` + "`fetch_project`" + `
  request per project.
- **(b)** 50 ms of latency on each of the [[.N]] reads would cost [[.Serial]] if the
  reads ran one after another. The plan takes [[.P10]] at ` + "`-parallelism=10`" + ` and [[.P30]] at
  ` + "`-parallelism=30`" + ` ([[.Speedup]]× faster), against [[.P0]] without latency: the
  waiting is almost entirely hidden behind Terraform's own work, because
  requests run concurrently over kept-alive connections with no lock shared
  between resources. (Single runs on a 2-core machine vary by about 10 %, so
  differences below that are noise.)
- **(c)** the data source reads every page of 50 (one request per page and no
  more: the API reports what remains) and builds its state in one pass. Most
  of the time is Terraform handling the result (10,000 objects of 60
  attributes, 600,000 values); the provider's own CPU time is about 6 s of it.
  The issue's targets for this case (under 3 s and 200 MB) are **not met yet**:
  the provider holds the whole list in memory twice (decoded projects and the
  framework's value tree), which a streaming encoder would avoid.
- **(d)** applying [[.ApplyN]] projects makes two requests per project
  (` + "`create_project`" + ` and one ` + "`fetch_project`" + ` to fill the read-only attributes).

## What was optimised

Profiles were taken with ` + "`make bench BENCH_FLAGS=-cpuprofile=DIR`" + `, which sets
` + "`PIPESOLAR_CPU_PROFILE`" + ` so the provider writes a CPU profile per process (read
with ` + "`go tool pprof`" + `).

[[/* The profiling notes below are maintained by hand. */]]
| change | measured on | before | after |
|---|---|---:|---:|
| ~57 per-attribute plan modifiers replaced by one pass in ` + "`ModifyPlan`" + ` (which returns early when nothing changes), and ` + "`GOGC=300`" + ` with a 512 MiB soft limit | refresh plan of 300 projects: provider CPU (pprof samples) | 5.3 s | 3.2 s |
| same | same plan, wall time (` + "`terraform_data`" + `: 1.9 s) | 5.1 s | 3.6 s |
| data source state built directly, numbers at the least exact precision | 10,000 projects, provider's share of a read | 7.6 s | 4.5 s |

- **SDK logging.** terraform-plugin-go and the framework write several TRACE
  lines per RPC even when ` + "`TF_LOG`" + ` is unset, and Terraform parses and drops
  them. When no ` + "`TF_LOG*`" + ` variable is set the provider switches those SDK
  subsystems off; with any of them set every log line is kept.
- **Data source state.** ` + "`pipesolar_projects`" + ` builds its state value directly
  instead of converting a framework list three times, and writes numbers with
  the least precision that keeps the API's decimal exact: for 10,000 projects
  the provider's share of a read fell from about 7.6 s to 4.5 s.
- **Connections.** Both clients share one pooled transport that keeps up to 64
  idle connections per host, so a plan at ` + "`-parallelism=30`" + ` reuses connections
  instead of opening one per request.

## Reproducing

    make bench                                   # full run, rewrites this page's template
    make docs                                    # regenerates docs/guides/performance.md
    go run ./cmd/pipesolar-bench -projects 200 -list 2000 -apply 50 -runs 1   # quick run
`
