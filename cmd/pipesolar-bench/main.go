// Command pipesolar-bench measures the provider against the bundled mock API
// with the real Terraform on PATH, and writes the results into the
// performance guide's template (make bench, then make docs).
//
// It measures:
//
//	(a) terraform plan (refresh) of N pipesolar_project, the API calls it makes,
//	    and the same plan of N terraform_data with 60 attributes each;
//	(b) the same plan with 50 ms of API latency at -parallelism=10 and 30;
//	(c) data.pipesolar_projects over M projects: time, requests, peak memory;
//	(d) terraform apply of K projects;
//	(e) apply and refresh under the mock's fixed-window rate limit;
//	(f) a refresh of N projects of one org with batch_refresh off and on, with
//	    no latency, with 50 ms latency and under the rate limit of (e).
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
	"text/template"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

const token = "bench-token"

type result struct {
	Name    string
	Wall    time.Duration
	Calls   int
	PeakRSS int64 // provider process, bytes
	// CPU time (user + system) of the provider processes and of Terraform
	// itself.
	ProviderCPU, TerraformCPU time.Duration
	// Largest resident set of terraform and the processes it waited for
	// (the kernel's ru_maxrss), bytes.
	MaxRSS int64
	Note   string
}

type bench struct {
	root, work, bin string
	mock            *mockapi.Server
	env             []string
	runs            int
	cpuProfile      string
}

func main() {
	var (
		out      = flag.String("out", "templates/guides/performance.md.tmpl", "template to write the results into")
		projects = flag.Int("projects", 1000, "projects for the refresh benchmarks (a) and (b)")
		listN    = flag.Int("list", 10000, "projects for the data source benchmark (c)")
		applyN   = flag.Int("apply", 200, "projects for the apply benchmark (d)")
		runs     = flag.Int("runs", 3, "repetitions of each plan; the median is reported")
		profile  = flag.String("cpuprofile", "", "directory for provider CPU profiles of (a) and (c)")
		only     = flag.String("only", "", `run only this benchmark: "ratelimit" runs (e) and "batch" runs (f), and each rewrites only its own section of the guide; "refresh" runs (a) and prints its figures without writing the guide`)
		rateN    = flag.Int("ratelimit-projects", 300, "projects for the rate-limit benchmark (e)")
		rateMax  = flag.Int("ratelimit-limit", 100, "calls per window of the mock's fixed-window rate limit (e) and (f)")
		rateWin  = flag.Duration("ratelimit-window", 10*time.Second, "window of the mock's fixed-window rate limit (e) and (f)")
		batchN   = flag.Int("batch-projects", 1000, "projects of one org for the batch_refresh benchmark (f)")
	)
	flag.Parse()
	log.SetFlags(0)

	root, err := os.Getwd()
	check(err)
	work, err := os.MkdirTemp("", "pipesolar-bench-")
	check(err)
	workDir = work
	defer os.RemoveAll(work)

	b := &bench{root: root, work: work, bin: filepath.Join(work, "bin"), runs: *runs, cpuProfile: *profile}
	b.setup()
	defer b.mock.Close()

	var results []result
	add := func(r result) {
		log.Printf("  %-58s %9s  calls=%-6d cpu: provider %s, terraform %s  peak: provider %s, largest %s %s", r.Name, r.Wall.Round(time.Millisecond), r.Calls,
			r.ProviderCPU.Round(10*time.Millisecond), r.TerraformCPU.Round(10*time.Millisecond), mib(r.PeakRSS), mib(r.MaxRSS), r.Note)
		results = append(results, r)
	}

	if *only != "" && *only != "ratelimit" && *only != "batch" && *only != "refresh" {
		log.Fatalf("-only: unknown benchmark %q (want ratelimit, batch or refresh)", *only)
	}
	path := *out
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	started := time.Now()
	if *only == "refresh" {
		a, base := b.refreshVsTerraformData(*projects)
		add(a)
		add(base)
		log.Printf("(a) ratio %.2fx (%s vs %s)", float64(a.Wall)/float64(base.Wall), a.Wall.Round(10*time.Millisecond), base.Wall.Round(10*time.Millisecond))
		return
	}
	var rateSec, batchSec string
	if *only != "batch" {
		log.Printf("==> (e) %d projects under a fixed window of %d calls per %s", *rateN, *rateMax, *rateWin)
		rateSec = rateSection(b.rateLimited(*rateN, *rateMax, *rateWin), *rateMax, *rateWin)
	}
	if *only == "ratelimit" {
		spliceSection(path, rateBegin, rateEnd, rateSec)
		log.Printf("wrote the rate-limit section of %s in %s; run `make docs` to regenerate docs/guides/performance.md", *out, time.Since(started).Round(time.Second))
		return
	}
	log.Printf("==> (f) refresh of %d projects of one org, batch_refresh off and on", *batchN)
	batchSec = batchSection(b.batchRefresh(*batchN, *rateMax, *rateWin), *batchN, b.runs, *rateMax, *rateWin, time.Now().UTC().Format("2006-01-02"))
	if *only == "batch" {
		spliceSection(path, batchBegin, batchEnd, batchSec)
		log.Printf("wrote the batch_refresh section of %s in %s; run `make docs` to regenerate docs/guides/performance.md", *out, time.Since(started).Round(time.Second))
		return
	}

	log.Printf("==> (d) apply of %d projects", *applyN)
	add(b.applyMedian(*applyN))

	a, base := b.refreshVsTerraformData(*projects)
	add(a)
	add(base)
	ratio := float64(a.Wall) / float64(base.Wall)

	log.Printf("==> (b) with 50 ms API latency")
	b.mock.SetFaults(mockapi.Faults{Latency: 50 * time.Millisecond, Endpoints: []string{mockapi.EndpointFetchProject}})
	b10 := b.plan("refresh", "(b) same, 50 ms latency, -parallelism=10", "", mockapi.EndpointFetchProject, "-parallelism=10")
	add(b10)
	b30 := b.plan("refresh", "(b) same, 50 ms latency, -parallelism=30", "", mockapi.EndpointFetchProject, "-parallelism=30")
	add(b30)
	b.mock.SetFaults(mockapi.Faults{})

	log.Printf("==> (c) data.pipesolar_projects over %d projects", *listN)
	c := b.listPlan(*listN)
	add(c)

	round := func(d time.Duration) string { return d.Round(10 * time.Millisecond).String() }
	latency := map[string]string{
		"Serial": round(time.Duration(*projects) * 50 * time.Millisecond),
		"P0":     round(a.Wall), "P10": round(b10.Wall), "P30": round(b30.Wall),
	}
	b.write(*out, rateSec, batchSec, results, map[string]result{"A": a, "Base": base, "B10": b10, "B30": b30, "C": c},
		ratio, float64(b10.Wall)/float64(b30.Wall), latency, *projects, *listN, *applyN)
	log.Printf("wrote %s in %s; run `make docs` to regenerate docs/guides/performance.md", *out, time.Since(started).Round(time.Second))
}

// refreshVsTerraformData runs (a): a refresh plan of n projects, and the
// plan of n terraform_data resources it is compared with. Both are
// planned in turn, b.runs times each, so that a change in the machine's
// load during the benchmark weighs on both sides of the ratio alike.
func (b *bench) refreshVsTerraformData(n int) (a, base result) {
	log.Printf("==> (a) refresh plan of %d projects vs %d terraform_data", n, n)
	b.applyProjects("refresh", n)
	b.terraformData(n)
	var refreshRuns, dataRuns []result
	for i := range b.runs {
		refreshRuns = append(refreshRuns, b.planOnce("refresh", mockapi.EndpointFetchProject, i == 0))
		dataRuns = append(dataRuns, b.planOnce("data", "", false))
	}
	a, base = median(refreshRuns), median(dataRuns)
	a.Name, a.Note = fmt.Sprintf("(a) plan of %d pipesolar_project", n), fmt.Sprintf("(median of %d)", b.runs)
	base.Name, base.Note = fmt.Sprintf("(a) plan of %d terraform_data (60 attributes)", n), fmt.Sprintf("(median of %d)", b.runs)
	return a, base
}

func (b *bench) setup() {
	check(os.MkdirAll(b.bin, 0o755))
	log.Printf("==> building the provider")
	build := exec.Command("go", "build", "-o", filepath.Join(b.bin, "terraform-provider-pipesolar"), ".")
	build.Dir, build.Stdout, build.Stderr = b.root, os.Stderr, os.Stderr
	check(build.Run())

	b.mock = mockapi.New(mockapi.Config{PipeToken: token})
	url, err := b.mock.Start("127.0.0.1:0")
	check(err)
	rc := filepath.Join(b.work, "dev.tfrc")
	check(os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides { "registry.terraform.io/pipesolar/pipesolar" = %q }
  direct {}
}
`, b.bin)), 0o600))
	b.env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_INPUT=0",
		"PIPESOLAR_BASE_URL="+url+"/api/1.1/wf", "PIPESOLAR_API_TOKEN="+token)
}

// dir returns a fresh working directory holding main.tf.
func (b *bench) dir(name, config string) string {
	d := filepath.Join(b.work, name)
	check(os.MkdirAll(d, 0o755))
	check(os.WriteFile(filepath.Join(d, "main.tf"), []byte(config), 0o600))
	return d
}

const providerBlock = `terraform {
  required_providers {
    pipesolar = { source = "pipesolar/pipesolar" }
  }
}
provider "pipesolar" {}
`

// applyMedian runs (d): b.runs applies of n new projects each (in
// working directories of their own), and reports the median.
func (b *bench) applyMedian(n int) result {
	var runs []result
	for i := range b.runs {
		runs = append(runs, b.applyProjectsOf(fmt.Sprintf("apply-%d", i), fmt.Sprintf("bench-apply-%d", i), n))
	}
	r := median(runs)
	r.Note = fmt.Sprintf("(median of %d)", b.runs)
	return r
}

func (b *bench) applyProjects(name string, n int) result {
	return b.applyProjectsOf(name, "bench-org", n)
}

// applyProjectsOf applies n projects of org in working directory name.
func (b *bench) applyProjectsOf(name, org string, n int) result {
	d := b.dir(name, projectsConfig(providerBlock, org, n))
	b.mock.ResetCounts()
	r := b.terraform(d, "apply", "-auto-approve", "-parallelism=10")
	r.Name = fmt.Sprintf("(d) apply of %d pipesolar_project", n)
	r.Calls = total(b.mock.Counts())
	return r
}

// projectsConfig is a configuration of n projects of org after provider,
// the terraform and provider blocks.
func projectsConfig(provider, org string, n int) string {
	return provider + fmt.Sprintf(`
resource "pipesolar_project" "p" {
  count          = %d
  address        = "${count.index} Solar St, Sunville, CA 90210"
  first_name     = "Customer"
  last_name      = "Number ${count.index}"
  email          = "customer${count.index}@example.com"
  phone_number   = "555-010-${format("%%04d", count.index)}"
  org_id         = %q
  sales_rep      = "rep@example.com"
  setter         = "setter@example.com"
  system_size    = 8.5
  system_cost    = 18450.01
  financing_type = "Loan"
  term_years     = 20
  panel_count    = 20
  project_stage  = "Proposal"
}
`, n, org)
}

func (b *bench) terraformData(n int) {
	var attrs strings.Builder
	for i := range 60 {
		fmt.Fprintf(&attrs, "    attr_%02d = \"value ${count.index} %d\"\n", i, i)
	}
	d := b.dir("data", fmt.Sprintf(`
resource "terraform_data" "p" {
  count = %d
  input = {
%s  }
}
`, n, attrs.String()))
	b.terraform(d, "apply", "-auto-approve")
}

// plan runs terraform plan in dir b.runs times and reports the median; calls
// counts requests to endpoint per run.
func (b *bench) plan(dir, name, _ string, endpoint string, extra ...string) result {
	var runs []result
	for i := range b.runs {
		runs = append(runs, b.planOnce(dir, endpoint, i == 0, extra...))
	}
	r := median(runs)
	r.Name, r.Note = name, fmt.Sprintf("(median of %d)", b.runs)
	return r
}

// planOnce runs terraform plan in dir once; calls counts requests to
// endpoint. With profile (and -cpuprofile), the provider writes a CPU
// profile of a plain plan.
func (b *bench) planOnce(dir, endpoint string, profile bool, extra ...string) result {
	b.mock.ResetCounts()
	args := append([]string{"plan", "-detailed-exitcode", "-lock=false"}, extra...)
	env := []string(nil)
	if b.cpuProfile != "" && profile && endpoint != "" && len(extra) == 0 {
		env = append(env, "PIPESOLAR_CPU_PROFILE="+filepath.Join(b.cpuProfile, "refresh"))
	}
	r := b.terraformEnv(filepath.Join(b.work, dir), env, args...)
	if endpoint != "" {
		r.Calls = b.mock.Count(endpoint)
	}
	return r
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
	return r
}

func (b *bench) listPlan(n int) result {
	_, err := b.mock.SeedRandomProjects("bench-big", "", n)
	check(err)
	d := b.dir("list", providerBlock+`
data "pipesolar_projects" "all" {
  org_id = "bench-big"
}
output "count" {
  value = length(data.pipesolar_projects.all.ids)
}
`)
	var runs []result
	for i := range b.runs {
		b.mock.ResetCounts()
		var env []string
		if b.cpuProfile != "" && i == 0 {
			env = append(env, "PIPESOLAR_CPU_PROFILE="+filepath.Join(b.cpuProfile, "list"))
		}
		r := b.terraformEnv(d, env, "plan", "-lock=false")
		r.Calls = b.mock.Count(mockapi.EndpointListOrg)
		runs = append(runs, r)
	}
	r := median(runs)
	pages := (n + 49) / 50
	r.Name = fmt.Sprintf("(c) data.pipesolar_projects, %d projects", n)
	r.Note = fmt.Sprintf("(%d pages of 50; median of %d)", pages, b.runs)
	return r
}

func (b *bench) terraform(dir string, args ...string) result {
	return b.terraformEnv(dir, nil, args...)
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

func (b *bench) write(path, rateSec, batchSec string, results []result, named map[string]result, ratio, speedup float64, latency map[string]string, n, listN, applyN int) {
	tmpl := template.Must(template.New("perf").Delims("[[", "]]").Parse(perfTemplate))
	var buf bytes.Buffer
	check(tmpl.Execute(&buf, map[string]any{
		"Date": time.Now().UTC().Format("2006-01-02"), "Machine": machine(), "Results": results, "R": named,
		"Ratio": fmt.Sprintf("%.2f", ratio), "Speedup": fmt.Sprintf("%.2f", speedup),
		"N": n, "ListN": listN, "ApplyN": applyN, "RateLimit": rateSec, "Batch": batchSec,
		"Serial": latency["Serial"], "P0": latency["P0"], "P10": latency["P10"], "P30": latency["P30"],
		"Mib": mib, "Round": func(d time.Duration) string { return d.Round(10 * time.Millisecond).String() },
	}))
	if !filepath.IsAbs(path) {
		path = filepath.Join(b.root, path)
	}
	check(os.WriteFile(path, buf.Bytes(), 0o644))
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
