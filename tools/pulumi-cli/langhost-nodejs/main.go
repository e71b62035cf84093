// A small Node.js language host for the Pulumi CLI that tools/pulumi-cli/install.sh builds.
//
// Why it exists: Pulumi's own host (sdk/nodejs/cmd/pulumi-language-nodejs) is a Go module with no
// tags of its own, and the Go module proxy this project can reach does not serve its pseudo-versions,
// while the CLI (pkg/v3) and the SDK (sdk/v3) are served. This host does the two things the engine
// needs from a Node.js host for this repository's programs and plugin:
//   - Run: start `node @pulumi/pulumi/cmd/run` on the program, with the engine's arguments and config;
//   - RunPlugin: start `node @pulumi/pulumi/cmd/run-plugin` on a source-based plugin (plugin/), or
//     `@pulumi/pulumi/cmd/run-policy-pack` on a policy pack (`pulumi preview --policy-pack DIR`).
// Everything else (code generation, packing, dependency installation) answers "unimplemented"; the
// tests install dependencies with npm themselves. The argument and environment shape follows what
// @pulumi/pulumi's run scripts read (sdk/nodejs/cmd/run/index.ts, sdk/nodejs/runtime/settings.ts).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Exit code with which @pulumi/pulumi says it already showed the user an actionable message.
const bailExitCode = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	flag.String("tracing", "", "accepted for compatibility; tracing is not forwarded")
	// Older plugin hosts (Pulumi YAML's, built on sdk 3.206: langruntime_plugin.go) pass -root=DIR.
	flag.String("root", "", "accepted for compatibility; the engine sends the directories with each call")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	h := &host{}
	if args := flag.Args(); len(args) > 0 {
		h.engineAddress = args[0]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cancel := make(chan bool)
	go func() { <-ctx.Done(); close(cancel) }()
	// Exit when the engine goes away (a killed CLI must not leave hosts behind).
	if h.engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, h.engineAddress, 5*time.Minute, stop); err != nil {
			fail(fmt.Errorf("health check of the engine: %w", err))
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fail(fmt.Errorf("serving the language host: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
	os.Exit(1)
}

func (h *host) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.EngineAddress
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// No package of this repository's programs declares a resource plugin in its package.json; the
// engine finds the dynamic provider and plugin/ by their own means (PATH, Pulumi.yaml plugins).
func (h *host) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetProgramDependencies(context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, _ := exec.Command("node", "--version").Output()
	return &pulumirpc.AboutResponse{Executable: "node", Version: strings.TrimSpace(string(out))}, nil
}

// Dependencies are the project's own business here (npm ci): nothing to install, report success.
func (h *host) InstallDependencies(*pulumirpc.InstallDependenciesRequest,
	pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	return nil
}

// resolve finds a module the way the program would: from its directory, with Node's resolution.
func resolve(module, dir string) (string, error) {
	script := fmt.Sprintf("console.log(require.resolve(%q))", module)
	cmd := exec.Command("node", "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("cannot find %s from %s (is @pulumi/pulumi installed there?): %w", module, dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	runPath, err := resolve("@pulumi/pulumi/cmd/run", info.GetProgramDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args := []string{runPath}
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", info.GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, info.GetEntryPoint())
	args = append(args, req.GetArgs()...)

	cfg, err := configJSON(req.GetConfig())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	secretKeys, _ := json.Marshal(req.GetConfigSecretKeys())
	if req.GetConfigSecretKeys() == nil {
		secretKeys = []byte("[]")
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+cfg, "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	if typescript(info) {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// The runtime option `typescript` (default true, as in Pulumi's host) asks @pulumi/pulumi for ts-node.
func typescript(info *pulumirpc.ProgramInfo) bool {
	if info == nil || info.GetOptions() == nil {
		return true
	}
	v, ok := info.GetOptions().AsMap()["typescript"].(bool)
	return !ok || v
}

// configJSON gives the config bag in the `<package>:config:<name>` form every @pulumi/pulumi reads.
func configJSON(cfg map[string]string) (string, error) {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", err
		}
		out[key.Namespace()+":config:"+key.Name()] = v
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	info := req.GetInfo()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	ctx := server.Context()
	policyPack := req.GetKind() == string(apitype.AnalyzerPlugin)
	entry := "@pulumi/pulumi/cmd/run-plugin"
	if policyPack {
		entry = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	runPath, err := resolve(entry, info.GetProgramDirectory())
	if err != nil {
		return err
	}
	env := req.GetEnv()
	if typescript(info) {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	// A plugin takes its directory first, a policy pack last (run-policy-pack reads it so).
	args := append([]string{runPath, info.GetProgramDirectory()}, req.GetArgs()...)
	var proxy *sdk.PolicyProxy
	if policyPack {
		args = append(append([]string{runPath}, req.GetArgs()...), info.GetProgramDirectory())
		// The pack learns the stack (project, stack, config) from the engine's first analyzer call,
		// which the proxy answers and then hands on to the pack once it runs.
		if proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout); err != nil {
			return fmt.Errorf("starting the policy pack proxy: %w", err)
		}
		stack, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("waiting for the stack's configuration: %w", err)
		}
		env = append(env, policyEnv(stack)...)
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = req.GetPwd()
	if policyPack {
		cmd.Dir = info.GetProgramDirectory()
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not run plugin: %w", err)
	}
	if proxy != nil {
		return proxy.Attach(ctx, cmd)
	}
	if err := cmd.Wait(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if status, ok := exit.Sys().(syscall.WaitStatus); ok {
				return fmt.Errorf("plugin exited with non-zero exit code: %d", status.ExitStatus())
			}
		}
		return fmt.Errorf("plugin failed: %w", err)
	}
	return closer.Close()
}

// policyEnv is what @pulumi/pulumi's policy runtime reads of the stack it checks.
func policyEnv(stack *pulumirpc.AnalyzerStackConfigureRequest) []string {
	if stack == nil {
		return nil
	}
	var env []string
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	add("PULUMI_NODEJS_ORGANIZATION", stack.GetOrganization())
	add("PULUMI_NODEJS_PROJECT", stack.GetProject())
	add("PULUMI_NODEJS_STACK", stack.GetStack())
	add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.GetDryRun()))
	if stack.GetConfig() != nil {
		if b, err := json.Marshal(stack.GetConfig()); err == nil {
			add("PULUMI_CONFIG", string(b))
		}
	}
	return env
}
