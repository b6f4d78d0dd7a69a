// Command pipesolar-bench measures the provider against the bundled mock API
// (Pipe API v1) with the real Terraform on PATH, and writes the figures into
// the performance guide's template between its bench markers (make bench,
// then make docs).
//
// It measures:
//
//	(a) terraform plan (refresh) of N adopted pipesolar_project, with
//	    batch_refresh off and on, and the same plan of N terraform_data with
//	    60 attributes each (Terraform's own floor for that much data);
//	(b) (a) without batch_refresh, with 50 ms of latency on every project
//	    read, at -parallelism=10 and 30;
//	(c) data.pipesolar_projects over M projects;
//	(d) to (f) batch_refresh at a company's scale, under the API's limit,
//	    and for leads (batch.go);
//	(g) one terraform apply that changes the stage of S adopted projects,
//	    free and under the mock's limit of 100 calls per -window (stage.go).
//
// N is -projects (default 1,000, the plan issue 20 compares with
// terraform_data), M is -list and S is -stage-projects (default 300).
//
// The mock counts every call. A count other than the one the design
// promises (one read per project; one listing page of 100 per 100 projects;
// a refresh read, a move and a read back per stage change) fails the run:
// the guide's figures are counted, never guessed.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// pageSize is the page the provider asks the API's listings for (the
// API's largest).
const pageSize = 100

// latency is (b)'s latency on every project read.
const latency = 50 * time.Millisecond

type result struct {
	Name    string
	Wall    time.Duration
	Calls   int // API calls of the run, every endpoint
	PeakRSS int64
	// CPU time (user + system) of the provider processes and of Terraform
	// itself.
	ProviderCPU, TerraformCPU time.Duration
	// Largest resident set of terraform and the processes it waited for
	// (the kernel's ru_maxrss), bytes.
	MaxRSS int64
	Runs   int // the median of this many runs
}

type bench struct {
	root, work, bin string
	env             []string
	runs            int
	cpuProfile      string
}

// target is one mock API and the environment that points the provider at it.
type target struct {
	mock *mockapi.Server
	env  []string
}

func main() {
	var (
		out      = flag.String("out", "templates/guides/performance.md.tmpl", "guide template whose bench section is rewritten")
		projects = flag.Int("projects", 1000, "adopted projects for the refresh benchmarks (a) and (b)")
		listN    = flag.Int("list", 5000, "projects for the data source benchmark (c)")
		runs     = flag.Int("runs", 3, "repetitions of each plan; the median is reported")
		profile  = flag.String("cpuprofile", "", "directory for provider CPU profiles of (a) and (c)")
		only     = flag.String("only", "", `"refresh" runs (a) only, "batch" (d) to (f) only, "stage" (g) only; each prints its figures without writing the guide`)
		managed  = flag.Int("batch-managed", 1000, "managed projects of the batch_refresh benchmarks (d) and (e)")
		company  = flag.Int("batch-company", 5000, "company size of (d)'s large-company refresh")
		window   = flag.Duration("window", 5*time.Second, "the window of (e)'s and (g)'s limit of 100 calls (v1: a minute), scaled down to keep the bench short")
		stageN   = flag.Int("stage-projects", 300, "adopted projects whose stage (g) changes in one apply")
	)
	flag.Parse()
	log.SetFlags(0)
	if *only != "" && *only != "refresh" && *only != "batch" && *only != "stage" {
		log.Fatalf("-only: unknown benchmark %q (want refresh, batch or stage)", *only)
	}
	if *projects < 1 || *listN < 1 || *runs < 1 || *stageN < 1 || *managed < changedN || *company < *managed || *window <= 0 {
		log.Fatalf("-projects, -list, -stage-projects and -runs must be at least 1, -batch-managed at least %d and at most -batch-company, -window positive", changedN)
	}

	root, err := os.Getwd()
	check(err)
	work, err := os.MkdirTemp("", "pipesolar-bench-")
	check(err)
	workDir = work
	defer os.RemoveAll(work)

	b := &bench{root: root, work: work, bin: filepath.Join(work, "bin"), runs: *runs, cpuProfile: *profile}
	b.setup()
	started := time.Now()

	if *only == "batch" {
		b.runBatch(*managed, *company, *window)
		return
	}
	if *only == "stage" {
		b.runStage(*stageN, *window)
		return
	}

	var results []result
	add := func(r result) result {
		log.Printf("  %-62s %9s  calls=%-6d cpu: provider %s, terraform %s  peak: provider %s, largest %s (median of %d)",
			r.Name, r.Wall.Round(time.Millisecond), r.Calls, r.ProviderCPU.Round(10*time.Millisecond),
			r.TerraformCPU.Round(10*time.Millisecond), mib(r.PeakRSS), mib(r.MaxRSS), r.Runs)
		results = append(results, r)
		return r
	}

	refresh := b.newTarget()
	defer refresh.mock.Close()
	log.Printf("==> (a) plan (refresh) of %d adopted projects, batch_refresh off and on, vs %d terraform_data", *projects, *projects)
	b.adopt(refresh, *projects)
	b.terraformData(*projects)
	off, on, base := b.refreshVsTerraformData(refresh, *projects)
	add(off)
	add(on)
	add(base)
	if *only == "refresh" {
		log.Printf("(a) ratio %.2fx (%s vs %s)", float64(off.Wall)/float64(base.Wall), off.Wall.Round(10*time.Millisecond), base.Wall.Round(10*time.Millisecond))
		return
	}

	log.Printf("==> (b) with %s of latency on every project read", latency)
	refresh.mock.SetFaults(mockapi.Faults{Latency: latency, Endpoints: []string{mockapi.EndpointGetProject}})
	b.writeConfig("refresh", adoptedConfig(providerBlock(false), *projects))
	b10 := add(b.plan(refresh, "refresh", fmt.Sprintf("(b) (a) with %d ms latency, -parallelism=10", latency.Milliseconds()), *projects, "-parallelism=10"))
	b30 := add(b.plan(refresh, "refresh", fmt.Sprintf("(b) (a) with %d ms latency, -parallelism=30", latency.Milliseconds()), *projects, "-parallelism=30"))
	refresh.mock.SetFaults(mockapi.Faults{})

	log.Printf("==> (c) data.pipesolar_projects over %d projects", *listN)
	list := b.newTarget()
	defer list.mock.Close()
	c := add(b.listPlan(list, *listN))

	batch := b.runBatch(*managed, *company, *window)
	stage := b.runStage(*stageN, *window)

	f := figures{
		Date: time.Now().UTC().Format("2006-01-02"), Machine: machine(), LoadAverage: loadAverage(), Cores: runtime.NumCPU(),
		N: *projects, ListN: *listN, Runs: *runs, Results: results,
		Off: off, On: on, Base: base, B10: b10, B30: b30, C: c, Batch: batch, Stage: stage,
	}
	path := *out
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	spliceSection(path, section(f))
	log.Printf("wrote the bench section of %s in %s; run `make docs` to regenerate docs/guides/performance.md", *out, time.Since(started).Round(time.Second))
}

func (b *bench) setup() {
	check(os.MkdirAll(b.bin, 0o755))
	log.Printf("==> building the provider")
	build := exec.Command("go", "build", "-o", filepath.Join(b.bin, "terraform-provider-pipesolar"), ".")
	build.Dir, build.Stdout, build.Stderr = b.root, os.Stderr, os.Stderr
	check(build.Run())

	rc := filepath.Join(b.work, "dev.tfrc")
	check(os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides { "registry.terraform.io/pipesolar/pipesolar" = %q }
  direct {}
}
`, b.bin)), 0o600))
	b.env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1")
}

// newTarget starts a mock API of its own on loopback.
func (b *bench) newTarget() target { return b.newTargetWith(mockapi.Config{}) }

// newTargetWith starts a mock API configured by cfg on loopback.
func (b *bench) newTargetWith(cfg mockapi.Config) target {
	m := mockapi.New(cfg)
	url, err := m.Start("127.0.0.1:0")
	check(err)
	if url != m.URL() {
		fatalf("mock API started at %s but reports %s", url, m.URL())
	}
	return target{mock: m, env: []string{"PIPESOLAR_BASE_URL=" + m.PipeBaseURL(), "PIPESOLAR_API_TOKEN=" + m.InstallerKey()}}
}

// writeConfig writes main.tf of working directory name (made if missing).
func (b *bench) writeConfig(name, config string) string {
	d := filepath.Join(b.work, name)
	check(os.MkdirAll(d, 0o755))
	check(os.WriteFile(filepath.Join(d, "main.tf"), []byte(config), 0o600))
	return d
}

// providerBlock is the terraform and provider blocks of every benchmark.
// requests_per_second lifts the provider's default pace (v1's 100 calls a
// minute), which would otherwise be what is measured.
func providerBlock(batch bool) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    pipesolar = { source = "pipesolar/pipesolar" }
  }
}
provider "pipesolar" {
  requests_per_second = 100000
  batch_refresh       = %t
}
`, batch)
}

// adoptedConfig adopts the projects of ids.json (Pipe's ids, one per
// element) after provider, the terraform and provider blocks.
func adoptedConfig(provider string, n int) string {
	return projectsConfig(provider, n, "")
}

// projectsConfig is adoptedConfig with args (lines of arguments) in the
// resource block.
func projectsConfig(provider string, n int, args string) string {
	return provider + fmt.Sprintf(`
locals {
  ids = jsondecode(file("${path.module}/ids.json"))
}
resource "pipesolar_project" "p" {
  count      = %d
  project_id = local.ids[count.index]
%s}
`, n, args)
}

// adopt seeds n projects in t's mock and adopts them (one read each).
func (b *bench) adopt(t target, n int) {
	ids := t.mock.SeedRandomProjects(n)
	if len(ids) != n {
		fatalf("the mock seeded %d projects, want %d", len(ids), n)
	}
	d := b.writeConfig("refresh", adoptedConfig(providerBlock(false), n))
	check(os.WriteFile(filepath.Join(d, "ids.json"), []byte(`["`+strings.Join(ids, `","`)+`"]`), 0o600))
	t.mock.ResetCounts()
	r := b.terraform(t, d, nil, "apply", "-auto-approve", "-parallelism=10")
	log.Printf("  adopted %d projects in %s (%d calls)", n, r.Wall.Round(time.Millisecond), r.Calls)
	if w := writes(t.mock.Counts()); w != "" {
		fatalf("adopting projects with no setting wrote to the API: %s", w)
	}
}

func (b *bench) terraformData(n int) {
	var attrs strings.Builder
	for i := range 60 {
		fmt.Fprintf(&attrs, "    attr_%02d = \"value ${count.index} %d\"\n", i, i)
	}
	d := b.writeConfig("data", fmt.Sprintf(`
resource "terraform_data" "p" {
  count = %d
  input = {
%s  }
}
`, n, attrs.String()))
	b.terraform(target{}, d, nil, "apply", "-auto-approve")
}

// refreshVsTerraformData runs (a): the refresh plan of n adopted projects
// with batch_refresh off and on, and the plan of n terraform_data it is
// compared with, in turn, b.runs times each, so that a change in the
// machine's load during the benchmark weighs on every side of the ratio
// alike.
func (b *bench) refreshVsTerraformData(t target, n int) (off, on, base result) {
	var offRuns, onRuns, dataRuns []result
	for i := range b.runs {
		b.writeConfig("refresh", adoptedConfig(providerBlock(false), n))
		offRuns = append(offRuns, b.planOnce(t, "refresh", n, i == 0))
		b.writeConfig("refresh", adoptedConfig(providerBlock(true), n))
		onRuns = append(onRuns, b.planOnce(t, "refresh", -1, false))
		dataRuns = append(dataRuns, b.planOnce(target{}, "data", 0, false))
	}
	off, on, base = median(offRuns), median(onRuns), median(dataRuns)
	off.Name = fmt.Sprintf("(a) plan (refresh) of %d pipesolar_project", n)
	on.Name = "(a) same, batch_refresh = true"
	base.Name = fmt.Sprintf("(a) plan of %d terraform_data (60 attributes)", n)
	return off, on, base
}

// plan runs terraform plan in dir b.runs times and reports the median.
func (b *bench) plan(t target, dir, name string, reads int, extra ...string) result {
	var runs []result
	for range b.runs {
		runs = append(runs, b.planOnce(t, dir, reads, false, extra...))
	}
	r := median(runs)
	r.Name = name
	return r
}

// planOnce runs terraform plan -detailed-exitcode in dir once; the plan must
// be empty and write nothing. reads is the number of project reads (GET
// /projects/{id}) the plan must make; -1 checks the batch_refresh way
// instead: reads served from the listing, no project read. With profile
// (and -cpuprofile), the provider writes a CPU profile.
func (b *bench) planOnce(t target, dir string, reads int, profile bool, extra ...string) result {
	var env []string
	if b.cpuProfile != "" && profile {
		env = append(env, "PIPESOLAR_CPU_PROFILE="+filepath.Join(b.cpuProfile, dir))
	}
	if t.mock != nil {
		t.mock.ResetCounts()
	}
	r := b.terraform(t, filepath.Join(b.work, dir), env, append([]string{"plan", "-detailed-exitcode", "-lock=false"}, extra...)...)
	if t.mock == nil {
		return r
	}
	counts := t.mock.Counts()
	if w := writes(counts); w != "" {
		fatalf("terraform plan in %s wrote to the API: %s", dir, w)
	}
	switch got := counts[mockapi.EndpointGetProject]; {
	case reads >= 0 && got != reads:
		fatalf("terraform plan in %s read %d projects one by one, want %d (calls: %v)", dir, got, reads, counts)
	case reads < 0 && (counts[mockapi.EndpointListProjects] == 0 || got != 0):
		fatalf("terraform plan in %s with batch_refresh = true made %d listing calls and %d project reads, want listings only (calls: %v)",
			dir, counts[mockapi.EndpointListProjects], got, counts)
	}
	return r
}

// writes lists the calls in counts that are not reads, "" when none.
func writes(counts map[string]int) string {
	var w []string
	for k, n := range counts {
		if n > 0 && !strings.HasPrefix(k, "GET ") {
			w = append(w, fmt.Sprintf("%s (%d)", k, n))
		}
	}
	sort.Strings(w)
	return strings.Join(w, ", ")
}

// median returns the run with the median wall time, with the largest peak
// memory of all runs.
func median(runs []result) result {
	sort.Slice(runs, func(i, j int) bool { return runs[i].Wall < runs[j].Wall })
	r := runs[len(runs)/2]
	for _, o := range runs {
		r.PeakRSS = max(r.PeakRSS, o.PeakRSS)
		r.MaxRSS = max(r.MaxRSS, o.MaxRSS)
	}
	r.Runs = len(runs)
	return r
}

// listPlan runs (c): the data source over n projects, every page of them.
func (b *bench) listPlan(t target, n int) result {
	if ids := t.mock.SeedRandomProjects(n); len(ids) != n {
		fatalf("the mock seeded %d projects, want %d", len(ids), n)
	}
	d := b.writeConfig("list", providerBlock(false)+`
data "pipesolar_projects" "all" {}
output "count" {
  value = length(data.pipesolar_projects.all.ids)
}
`)
	pages := (n + pageSize - 1) / pageSize
	var runs []result
	for i := range b.runs {
		t.mock.ResetCounts()
		var env []string
		if b.cpuProfile != "" && i == 0 {
			env = append(env, "PIPESOLAR_CPU_PROFILE="+filepath.Join(b.cpuProfile, "list"))
		}
		r := b.terraform(t, d, env, "plan", "-lock=false")
		if got := t.mock.Count(mockapi.EndpointListProjects); got != pages || r.Calls != pages {
			fatalf("data.pipesolar_projects over %d projects made %d listing calls (%d calls in all), want %d pages of %d", n, got, r.Calls, pages, pageSize)
		}
		runs = append(runs, r)
	}
	r := median(runs)
	r.Name = fmt.Sprintf("(c) data.pipesolar_projects, %d projects", n)
	return r
}

// terraform runs terraform in dir against t's mock (none when t is zero)
// and counts the calls the mock received.
func (b *bench) terraform(t target, dir string, extraEnv []string, args ...string) result {
	r := b.terraformEnv(dir, append(append([]string(nil), t.env...), extraEnv...), args...)
	if t.mock != nil {
		r.Calls = total(t.mock.Counts())
	}
	return r
}

// terraformEnv runs terraform and returns its wall time, the peak resident
// memory and CPU time of the provider processes it started, and Terraform's
// own CPU time.
func (b *bench) terraformEnv(dir string, extraEnv []string, args ...string) result {
	cmd := exec.Command("terraform", args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string(nil), b.env...), extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	ctx, cancel := context.WithCancel(context.Background())
	usage := make(chan providerUsage, 1)
	start := time.Now()
	err := cmd.Start()
	if err == nil {
		go func() { usage <- watchProviders(ctx, cmd.Process.Pid) }()
		err = cmd.Wait()
	} else {
		usage <- providerUsage{}
	}
	wall := time.Since(start)
	cancel()
	u := <-usage
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || args[0] != "plan" || ee.ExitCode() != 2 {
			fatalf("terraform %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out.String())
		}
		if args[0] == "plan" && strings.Contains(strings.Join(args, " "), "-detailed-exitcode") {
			fatalf("terraform plan in %s was not empty:\n%s", dir, tail(out.String(), 40))
		}
	}
	r := result{Wall: wall, PeakRSS: u.peak, ProviderCPU: u.cpu}
	if cmd.ProcessState != nil {
		// wait4 counts the CPU time of the processes Terraform waited for,
		// the providers among them.
		all := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		r.TerraformCPU = max(all-u.cpu, 0)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.MaxRSS = int64(ru.Maxrss) * 1024 //nolint:unconvert // kB; Maxrss is an int32 on 32-bit platforms
		}
	}
	return r
}

type providerUsage struct {
	peak int64         // largest VmHWM (peak resident set) of one process, bytes
	cpu  time.Duration // user + system time of all of them
}

// watchProviders polls /proc for the provider processes whose parent is
// process parent (Terraform) until ctx ends; providers other programs on the
// machine run do not count. CPU time is each process's last reading (polled
// every 20 ms, so a process's final 20 ms may be missed).
func watchProviders(ctx context.Context, parent int) providerUsage {
	var mu sync.Mutex
	var peak int64
	ticks := map[string]int64{}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid := e.Name()
			if _, err := strconv.Atoi(pid); err != nil {
				continue
			}
			comm, err := os.ReadFile(filepath.Join("/proc", pid, "comm"))
			if err != nil || !strings.HasPrefix(string(comm), "terraform-provi") {
				continue
			}
			ppid, t := procStat(filepath.Join("/proc", pid, "stat"))
			if ppid != parent {
				continue
			}
			if hwm := vmHWM(filepath.Join("/proc", pid, "status")); hwm > 0 {
				mu.Lock()
				peak = max(peak, hwm)
				mu.Unlock()
			}
			if t > 0 {
				ticks[pid] = max(ticks[pid], t)
			}
		}
		select {
		case <-ctx.Done():
			var sum int64
			for _, t := range ticks {
				sum += t
			}
			return providerUsage{peak: peak, cpu: time.Duration(sum) * time.Second / clockTicks}
		case <-tick.C:
		}
	}
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times (100 on Linux).
const clockTicks = 100

// procStat reads the parent pid and utime + stime from /proc/<pid>/stat;
// 0, 0 when it cannot.
func procStat(stat string) (ppid int, ticks int64) {
	data, err := os.ReadFile(stat)
	if err != nil {
		return 0, 0
	}
	// The command name (field 2) may hold spaces; fields after it are plain.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, 0
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, 0
	}
	ppid, _ = strconv.Atoi(f[1])
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return ppid, utime + stime
}

func vmHWM(status string) int64 {
	f, err := os.Open(status)
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

func mib(b int64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

func tail(s string, lines int) string {
	parts := strings.Split(s, "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}

func machine() string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		line, _, _ := strings.Cut(string(data), "\n")
		if kb, err := strconv.ParseInt(strings.Fields(line)[1], 10, 64); err == nil {
			mem = fmt.Sprintf(", %.0f GiB RAM", float64(kb)/(1<<20))
		}
	}
	tf, _ := exec.Command("terraform", "version").Output()
	tfv, _, _ := strings.Cut(string(tf), "\n")
	return fmt.Sprintf("%s, %d cores%s; %s; %s/%s; %s", cpu, runtime.NumCPU(), mem, runtime.Version(), runtime.GOOS, runtime.GOARCH, strings.TrimSpace(tfv))
}

// workDir is the run's temporary directory. fatalf removes it too: a
// failed run exits without running main's deferred calls.
var workDir string

// fatalf reports a failed run and exits.
func fatalf(format string, args ...any) {
	if workDir != "" {
		_ = os.RemoveAll(workDir)
	}
	log.Fatalf(format, args...)
}

func check(err error) {
	if err != nil {
		fatalf("%v", err)
	}
}
