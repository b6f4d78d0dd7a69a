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
  of data, with no provider at all), and makes
  exactly one ` + "`fetch_project`" + ` request per project. The two plans are run in
  turn, three times each, and the ratio is that of the medians. Both are
  bound by CPU on this 2-core machine, and Terraform's own share moves by
  20–30 % from run to run, so the ratio moves too (from 0.85× to 1.28× in
  six runs on 2026-11-30).
- **(b)** 50 ms of latency on each of the [[.N]] reads would cost [[.Serial]] if the
  reads ran one after another. The plan takes [[.P10]] at ` + "`-parallelism=10`" + ` and [[.P30]] at
  ` + "`-parallelism=30`" + ` ([[.Speedup]]× faster), against [[.P0]] without latency: requests run
  concurrently over kept-alive connections with no lock shared between
  resources, and at ` + "`-parallelism=30`" + ` the waiting is hidden. On two cores
  these plans keep both cores mostly busy (see the CPU columns): they are
  bound by CPU, not by latency.
- **(c)** the data source reads every page of 50 (one request per page and no
  more: the API reports what remains). Its answer is written straight from
  the decoded pages, so the provider needs
  [[call .Round .R.C.ProviderCPU]] of CPU and [[call .Mib .R.C.PeakRSS]] of memory for
  [[.ListN]] projects. Terraform's own share is [[call .Round .R.C.TerraformCPU]] of CPU: it decodes,
  checks and stores [[.ListN]] objects of 70 values each, and holds them in
  memory ([[call .Mib .R.C.MaxRSS]] at its peak). Most of
  the time is Terraform's own: the provider cannot make such a read faster
  than Terraform can store it. A
  configuration that needs only ids can use ` + "`ids`" + `, but Terraform still
  stores the whole listing in state.
- **(d)** applying [[.ApplyN]] projects makes two requests per project
  (` + "`create_project`" + ` and one ` + "`fetch_project`" + ` to fill the read-only attributes).

[[.RateLimit]]
[[.Batch]]
## More

How these figures are measured, how the provider was profiled and what was
optimised to reach them is written up for contributors in CONTRIBUTING.md in
the provider's source repository.
`
