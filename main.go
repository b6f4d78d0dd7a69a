// Command terraform-provider-pipesolar is the Terraform provider for the
// pipe.solar and UPowr solar-sales APIs.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/provider"
)

// version is set by goreleaser through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	quietSDKLogs()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/pipesolar/pipesolar",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
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
