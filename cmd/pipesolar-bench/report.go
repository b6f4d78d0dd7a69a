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

| benchmark | wall time | API requests | provider CPU | Terraform CPU | provider peak memory | largest process peak memory |
|---|---:|---:|---:|---:|---:|---:|
[[range .Results]]| [[.Name]] [[.Note]] | [[call $.Round .Wall]] | [[if .Calls]][[.Calls]][[else]]-[[end]] | [[if .ProviderCPU]][[call $.Round .ProviderCPU]][[else]]-[[end]] | [[call $.Round .TerraformCPU]] | [[call $.Mib .PeakRSS]] | [[call $.Mib .MaxRSS]] |
[[end]]
CPU time is user plus system time: the provider's is read from ` + "`/proc`" + ` while
it runs (every provider process Terraform starts, summed), Terraform's is the
rest of what ` + "`terraform`" + ` and its children used. With two cores, a wall time
below the sum of the two means they worked in parallel. The last column is
the kernel's peak resident set of the largest process in the run (Terraform
or a provider); where it is above the provider's peak, it is Terraform's.

- **(a)** refreshing [[.N]] projects costs **[[.Ratio]]×** the time Terraform needs to
  plan [[.N]] ` + "`terraform_data`" + ` resources carrying 60 attributes each (the same amount
  of data, with no provider at all; the issue's target is 1.5×), and makes
  exactly one ` + "`fetch_project`" + ` request per project. The baseline itself moves
  by 20–30 % between runs on this 2-core machine, and so does the ratio.
- **(b)** 50 ms of latency on each of the [[.N]] reads would cost [[.Serial]] if the
  reads ran one after another. The plan takes [[.P10]] at ` + "`-parallelism=10`" + ` and [[.P30]] at
  ` + "`-parallelism=30`" + ` ([[.Speedup]]× faster), against [[.P0]] without latency: requests run
  concurrently over kept-alive connections with no lock shared between
  resources, and at ` + "`-parallelism=30`" + ` the waiting is hidden. On two cores
  these plans keep both cores mostly busy (see the CPU columns): they are
  bound by CPU, not by latency.
- **(c)** the data source reads every page of 50 (one request per page and no
  more: the API reports what remains). Its answer is written straight from
  the decoded pages (see below), so the provider needs
  [[call .Round .R.C.ProviderCPU]] of CPU and [[call .Mib .R.C.PeakRSS]] of memory for
  [[.ListN]] projects. Terraform's own share is [[call .Round .R.C.TerraformCPU]] of CPU: it decodes,
  checks and stores [[.ListN]] objects of 70 values each, and holds them in
  memory ([[call .Mib .R.C.MaxRSS]] at its peak). The issue's targets
  for this case are under 3 s and under 200 MB: the provider's memory meets
  the second; the time cannot be met by the provider, because Terraform alone
  needs more than 3 s for this much data whatever the provider does. A
  configuration that needs only ids can use ` + "`ids`" + `, but Terraform still
  stores the whole listing in state.
- **(d)** applying [[.ApplyN]] projects makes two requests per project
  (` + "`create_project`" + ` and one ` + "`fetch_project`" + ` to fill the read-only attributes).

## What was optimised

Profiles were taken with ` + "`make bench BENCH_FLAGS=-cpuprofile=DIR`" + `, which sets
` + "`PIPESOLAR_CPU_PROFILE`" + ` so the provider writes a CPU profile per process (read
with ` + "`go tool pprof`" + `), and, on Terraform's side, with ` + "`perf record`" + ` (its binary
is stripped; addresses resolved with ` + "`go tool addr2line`" + `).

[[/* The profiling notes below are maintained by hand. */]]
| change | measured on | before | after |
|---|---|---:|---:|
| ~57 per-attribute plan modifiers replaced by one pass in ` + "`ModifyPlan`" + ` (which returns early when nothing changes), and ` + "`GOGC=300`" + ` with a 512 MiB soft limit | refresh plan of 300 projects: provider CPU (pprof samples) | 5.3 s | 3.2 s |
| same | same plan, wall time (` + "`terraform_data`" + `: 1.9 s) | 5.1 s | 3.6 s |
| an unchanged ` + "`pipesolar_project`" + ` plan answered without the framework | (a) 1,000 projects: wall / provider CPU / provider peak | 13.5 s / 12.7 s / 474 MiB | 10.2 s / 5.9 s / 314 MiB |
| numbers sent as float64 when that is the same decimal | (c) 10,000 projects: wall / Terraform CPU | 13.8 s / 10.9 s | 10.1 s / 6.0 s |
| ` + "`pipesolar_projects`" + ` answered with msgpack written straight from the pages | (c): wall / provider CPU / provider peak | 10.1 s / 5.2 s / 516 MiB | 6.5 s / 1.5 s / 200 MiB |
| same | one read in-process (` + "`BenchmarkProjectsDataSource_read10000`" + `, mock included): time / allocations | 5.6 s / 44 M | 2.5 s / 10.8 M |
| list pages decoded in one pass | (c): provider CPU / provider peak | 1.5 s / 200 MiB | 1.2 s / 170 MiB |

Before/after rows are single runs on the machine above, taken one after the
other; the table at the top is the current state.

- **SDK logging.** terraform-plugin-go and the framework write several TRACE
  lines per RPC even when ` + "`TF_LOG`" + ` is unset, and Terraform parses and drops
  them. When no ` + "`TF_LOG*`" + ` variable is set the provider switches those SDK
  subsystems off; with any of them set every log line is kept.
- **Unchanged plans.** In a refresh plan Terraform asks the provider to plan
  every resource, and almost always proposes exactly the prior state. The
  framework answers by reading and rewriting the plan once per attribute
  (70 of them), each step copying the schema's attribute map: 44 % of the
  provider's CPU. The provider's protocol server answers such a plan (prior
  and proposed state identical byte for byte) with the proposal itself,
  which is what the framework returns too; any other plan goes to the
  framework. A test fails if ` + "`pipesolar_project`" + ` gains a default or an attribute
  plan modifier, which this shortcut would skip.
- **Numbers.** Terraform holds numbers at 512 bits and prints them into its
  state as decimals; for a number that is not exactly a float64 (18450.01)
  that printing is slow (a quarter of Terraform's CPU for the listing of
  10,000 projects). The provider sends a number that is the same decimal as
  a float64 as that float64, which Terraform prints quickly, shows as the
  same decimal and compares as equal.
- **Data source state.** ` + "`pipesolar_projects`" + ` writes its answer as msgpack
  straight from the decoded pages (the same mapping as ` + "`data.pipesolar_project`" + `;
  a test compares the result with the framework's value for value), instead
  of building, walking and encoding a framework value of 700,000 values.
- **Decoding.** A page's projects are decoded in one pass (it was scanned
  four times), and strings without escapes are taken as they are.
- **Connections.** Both clients share one pooled transport that keeps up to 64
  idle connections per host, so a plan at ` + "`-parallelism=30`" + ` reuses connections
  instead of opening one per request.

[[.RateLimit]]
## Reproducing

    make bench                                   # full run, rewrites this page's template
    make docs                                    # regenerates docs/guides/performance.md
    go run ./cmd/pipesolar-bench -projects 200 -list 2000 -apply 50 -runs 1   # quick run
`
