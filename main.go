// Command terraform-provider-pipesolar is the Terraform provider for the
// pipe.solar and UPowr solar-sales APIs.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	rdebug "runtime/debug"
	"runtime/pprof"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/provider"
)

// version is set by goreleaser through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	quietSDKLogs()
	tuneGC()
	stopProfile := startCPUProfile()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	server, err := provider.NewProtocol6Server(version)()
	if err == nil {
		err = tf6server.Serve("registry.terraform.io/pipesolar/pipesolar",
			func() tfprotov6.ProviderServer { return server }, opts...)
	}
	stopProfile()
	if err != nil {
		log.Fatal(err.Error())
	}
}

// tuneGC trades memory for CPU: a refresh allocates many short-lived values
// per resource, and with the default GOGC=100 garbage collection took a third
// of the provider's CPU in a 300-project plan (make bench; see the
// performance guide). GOGC=300 cut the provider's CPU by 40 %. On a large
// heap (a data source of 10,000 projects) it would double peak memory, so a
// soft limit of 512 MiB makes the collector work harder only there; a limit
// close to the live heap (192 MiB) made such reads thrash. GOGC and
// GOMEMLIMIT in the environment win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		rdebug.SetGCPercent(300)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		rdebug.SetMemoryLimit(512 << 20)
	}
}

// startCPUProfile writes a CPU profile of this process to
// $PIPESOLAR_CPU_PROFILE.<pid>.pprof when that variable is set (used by
// make bench); it returns the function that stops it.
func startCPUProfile() func() {
	prefix := os.Getenv("PIPESOLAR_CPU_PROFILE")
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%d.pprof", prefix, os.Getpid()))
	if err != nil {
		log.Printf("PIPESOLAR_CPU_PROFILE: %v", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Printf("PIPESOLAR_CPU_PROFILE: %v", err)
		_ = f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}

// quietSDKLogs switches the plugin SDK's own TRACE logging off when the user
// has asked for no logs at all. The SDK otherwise writes several log lines per
// RPC that Terraform parses and discards, which costs about half the CPU of a
// large plan. When any TF_LOG* variable is set, every log is kept.
func quietSDKLogs() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO"} {
		_ = os.Setenv(name, "off")
	}
}
