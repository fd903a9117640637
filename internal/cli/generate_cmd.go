package cli

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/baxbench/baxbench-go/internal/generate"
	"github.com/baxbench/baxbench-go/internal/lifecycle"
	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/llm/models"
	"github.com/baxbench/baxbench-go/internal/progress"
	"github.com/baxbench/baxbench-go/internal/results"
)

// genOpts are the generation flags shared by generate and run.
type genOpts struct {
	provider, baseURL, apiKeyEnv string
	modelConfig, pricingFile     string
	reasoningEffort              string
	maxTokens, thinkingBudget    int
	samplesPerRequest            int
	maxRetries                   int
	baseDelay, maxDelay          float64
	concurrency                  int
	ratePerMinute                float64
	requestTimeout               time.Duration
	skipFailed, dryRun           bool
}

func (g *genOpts) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&g.provider, "provider", "", "provider serving every --models entry: "+strings.Join(providerNames(), ", ")+" (default: from --model-config, --base-url, or the model name)")
	f.StringVar(&g.baseURL, "base-url", "", "base URL of an OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (implies --provider compat)")
	f.StringVar(&g.apiKeyEnv, "api-key-env", "", "environment variable holding the API key (default: the provider's, OPENAI_API_KEY for compat; \"none\" sends no key)")
	f.StringVar(&g.modelConfig, "model-config", "", "JSON file with per-model provider and settings: {\"model\": {\"provider\": ..., \"base_url\": ..., \"api_key_env\": ..., \"max_tokens\": ...}}")
	f.StringVar(&g.pricingFile, "pricing", "", "JSON file overriding model prices: {\"model\": {\"input_per_mtok\": 2.5, \"output_per_mtok\": 10}}")
	f.StringVar(&g.reasoningEffort, "reasoning-effort", "high", "reasoning effort for reasoning models: minimal, low, medium or high")
	f.IntVar(&g.maxTokens, "max-tokens", 0, "output token limit per answer (default: upstream's per-model value)")
	f.IntVar(&g.thinkingBudget, "thinking-budget", 0, "Anthropic extended-thinking budget in tokens (default: upstream's per-model value; enables thinking)")
	f.IntVar(&g.samplesPerRequest, "samples-per-request", 0, "samples asked for in one request (OpenAI n; default: all for OpenAI and Together, 1 elsewhere)")
	f.IntVar(&g.maxRetries, "max-retries", 20, "retries per request")
	f.Float64Var(&g.baseDelay, "base-delay", 1, "backoff base in seconds (wait before retry r: random up to base*2^r, capped)")
	f.Float64Var(&g.maxDelay, "max-delay", 128, "backoff cap in seconds (a longer Retry-After from the server is honoured)")
	f.IntVar(&g.concurrency, "llm-concurrency", 8, "requests in flight per provider")
	f.Float64Var(&g.ratePerMinute, "llm-rate", 0, "requests started per minute per provider (0: no limit)")
	f.DurationVar(&g.requestTimeout, "request-timeout", 20*time.Minute, "time limit of one request attempt")
	f.BoolVar(&g.skipFailed, "skip-failed", false, "treat samples whose answer could not be parsed as done")
	f.BoolVar(&g.dryRun, "dry-run", false, "print the tasks, samples, requests, token and cost estimate, and stop")
}

func providerNames() []string { return models.Providers() }

func (g *genOpts) validate() error {
	switch {
	case g.provider != "" && !slices.Contains(providerNames(), g.provider) && g.provider != llm.ProviderReference:
		return usageErrorf("unknown --provider %q; valid: %s", g.provider, strings.Join(providerNames(), ", "))
	case !slices.Contains([]string{"minimal", "low", "medium", "high"}, g.reasoningEffort):
		return usageErrorf("unknown --reasoning-effort %q; valid: minimal, low, medium, high", g.reasoningEffort)
	case g.maxRetries < 0 || g.baseDelay < 0 || g.maxDelay < 0:
		return usageErrorf("--max-retries, --base-delay and --max-delay must not be negative")
	case g.concurrency <= 0:
		return usageErrorf("--llm-concurrency must be positive")
	case g.maxTokens < 0 || g.thinkingBudget < 0 || g.samplesPerRequest < 0 || g.ratePerMinute < 0:
		return usageErrorf("--max-tokens, --thinking-budget, --samples-per-request and --llm-rate must not be negative")
	}
	if g.baseURL != "" {
		if u, err := url.Parse(g.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageErrorf("--base-url %q is not an http(s) URL", g.baseURL)
		}
	}
	return nil
}

func readModelConfig(path string) (map[string]models.Entry, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, usageErrorf("read --model-config: %v", err)
	}
	defer f.Close()
	cfg, err := models.ReadConfig(f)
	if err != nil {
		return nil, usageErrorf("parse --model-config %s: %v", path, err)
	}
	return cfg, nil
}

// setupModels resolves every model once, before any work starts. A missing key is an error unless
// keys are not needed (dry run).
func (a *app) setupModels(sel *selection, g *genOpts, p *plan, needKeys bool) ([]*models.Setup, error) {
	if err := g.validate(); err != nil {
		return nil, err
	}
	cfg, err := readModelConfig(g.modelConfig)
	if err != nil {
		return nil, err
	}
	var tasks []models.Task
	for _, t := range p.tasks {
		tasks = append(tasks, models.Task{Model: t.Task.Model, Scenario: t.Scenario, Env: t.Env})
	}
	setups, err := models.ResolveAll(sel.models, models.Options{
		Flags: models.Flags{Provider: g.provider, BaseURL: g.baseURL, APIKeyEnv: g.apiKeyEnv, ReasoningEffort: g.reasoningEffort,
			MaxTokens: g.maxTokens, ThinkingBudget: g.thinkingBudget, SamplesPerRequest: g.samplesPerRequest},
		Config: cfg, Getenv: a.io.Getenv, NeedKeys: needKeys, Tasks: tasks,
	})
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	return setups, nil
}

func (g *genOpts) backoff() llm.Backoff {
	return llm.Backoff{
		MaxRetries: g.maxRetries,
		Base:       time.Duration(g.baseDelay * float64(time.Second)),
		Max:        time.Duration(g.maxDelay * float64(time.Second)),
	}
}

func (g *genOpts) pricing() (llm.Pricing, error) {
	p := llm.DefaultPricing()
	if g.pricingFile == "" {
		return p, nil
	}
	f, err := os.Open(g.pricingFile)
	if err != nil {
		return nil, usageErrorf("read --pricing: %v", err)
	}
	defer f.Close()
	p, err = llm.ReadPricing(f, p)
	if err != nil {
		return nil, usageErrorf("%s: %v", g.pricingFile, err)
	}
	return p, nil
}

// generators builds one generator per model; models on the same provider and endpoint share a limiter.
func (a *app) generators(sel *selection, o *engineOpts, g *genOpts, setups []*models.Setup, pricing llm.Pricing) map[string]*generate.Generator {
	store := &results.Store{Root: sel.resultsDir}
	limiters := map[string]*llm.Limiter{}
	gens := map[string]*generate.Generator{}
	for _, ms := range setups {
		key := ms.Provider + " " + ms.BaseURL
		if limiters[key] == nil {
			limiters[key] = llm.NewLimiter(g.concurrency, g.ratePerMinute)
		}
		gens[ms.Model] = &generate.Generator{
			Store: store, Client: ms.Client, Settings: ms.Settings, Endpoint: ms.BaseURL, Limiter: limiters[key],
			Backoff: g.backoff(), RequestTimeout: g.requestTimeout, Pricing: pricing, Log: a.log,
			Force: o.force, SkipFailed: g.skipFailed,
		}
	}
	return gens
}

// generate runs the generation stage over the plan.
// setups are the resolved models (nil: resolve them here).
func (a *app) generate(ctx context.Context, sel *selection, o *engineOpts, g *genOpts, p *plan, setups []*models.Setup) (generate.Result, error) {
	var total generate.Result
	if o.nSamples <= 0 {
		return total, usageErrorf("--n-samples must be positive")
	}
	var err error
	if setups == nil {
		if setups, err = a.setupModels(sel, g, p, !g.dryRun); err != nil {
			return total, err
		}
	}
	pricing, err := g.pricing()
	if err != nil {
		return total, err
	}
	gens := a.generators(sel, o, g, setups, pricing)
	var jobs []generate.Job
	for _, t := range p.tasks {
		jobs = append(jobs, generate.Job{Task: t.Task, Scenario: t.Scenario, Env: t.Env, N: o.nSamples})
	}
	if g.dryRun {
		return total, a.printEstimate(a.io.Out, setups, gens, jobs, pricing)
	}
	for _, ms := range setups {
		a.log.Info("model", "model", ms.Model, "provider", ms.Provider, "chosen_by", ms.Why, "endpoint", ms.BaseURL,
			"max_tokens", ms.Settings.MaxTokens, "samples_per_request", ms.Settings.SamplesPerRequest)
	}
	var pending []generate.Job
	for _, j := range jobs {
		if len(gens[j.Task.Model].Missing(j)) > 0 {
			pending = append(pending, j)
		}
	}
	if len(pending) == 0 {
		a.log.Info("nothing to generate: every sample exists", "tasks", len(jobs))
		return total, nil
	}
	if err := (&results.Store{Root: sel.resultsDir}).Prepare(); err != nil {
		return total, err
	}
	tracker := progress.New(ctx, a.io.ErrOut, a.io.TTY, a.log, 10*time.Second)
	if a.logOut != nil {
		a.logOut.set(tracker.Writer(a.io.ErrOut))
	}
	stage := tracker.Stage("generated tasks", len(pending))
	workers := g.concurrency * len(setups)
	bus := lifecycle.New(lifecycle.On(func(_ context.Context, e lifecycle.TaskGenerated) error {
		if e.Error != "" {
			a.log.Error("generation failed", "task", e.Task, "written", e.Samples, "err", e.Error)
		}
		stage.Done(e.Error != "")
		return nil
	}))
	closeEvents, err := o.openEvents()
	if err != nil {
		return total, err
	}
	defer closeEvents()
	if o.events != nil {
		bus.Subscribe(lifecycle.JSONLines(o.events, time.Now))
	}
	for _, gen := range gens {
		gen.Events = bus
	}
	total, err = generate.RunAll(ctx, gens, pending, workers, bus)
	tracker.Close()
	if a.logOut != nil {
		a.logOut.set(a.io.ErrOut)
	}
	attrs := []any{"samples", total.Samples, "failed_format", total.Failed, "input_tokens", total.Usage.InputTokens,
		"output_tokens", total.Usage.OutputTokens, "retries", total.Retries, "cost_usd", fmt.Sprintf("%.4f", total.CostUSD)}
	if total.Unpriced > 0 {
		attrs = append(attrs, "unpriced_samples", total.Unpriced)
	}
	a.log.Info("generation done", attrs...)
	if ctx.Err() != nil {
		return total, ctx.Err()
	}
	if err != nil {
		// Each failed task is logged above; its missing samples are asked for again on the next run.
		return total, &generationFailures{err: err}
	}
	return total, nil
}

// generationFailures says some tasks could not be generated; the others were.
type generationFailures struct{ err error }

func (e *generationFailures) Error() string {
	n := 1
	if j, ok := e.err.(interface{ Unwrap() []error }); ok {
		n = len(j.Unwrap())
	}
	return fmt.Sprintf("generation failed for %d task(s); rerun the same command to ask for the missing samples again. First error: %v", n, firstErr(e.err))
}

func (e *generationFailures) Unwrap() error { return e.err }

func firstErr(err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) > 0 {
		return j.Unwrap()[0]
	}
	return err
}

// printEstimate prints what a generation would ask for, per model, before anything is spent.
func (a *app) printEstimate(w io.Writer, setups []*models.Setup, gens map[string]*generate.Generator, jobs []generate.Job, pricing llm.Pricing) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "model\tprovider\ttasks\tsamples\trequests\tinput tokens\toutput tokens (typical / at limit)\tcost USD (typical / at limit)")
	var sum generate.Estimate
	unpriced := false
	for _, ms := range setups {
		est, err := gens[ms.Model].Estimate(ms.Model, jobs, pricing, ms.Provider == llm.ProviderReference)
		if err != nil {
			return err
		}
		costCol := "unknown price"
		switch {
		case est.Free:
			costCol = "0 (no API)"
		case est.Priced && est.OutputTokensMax > 0:
			costCol = fmt.Sprintf("%.2f / %.2f", est.Cost, est.CostMax)
		case est.Priced:
			costCol = fmt.Sprintf("%.2f / ?", est.Cost)
		default:
			unpriced = true
		}
		limitCol := "?"
		if est.OutputTokensMax > 0 || est.Free {
			limitCol = fmt.Sprint(est.OutputTokensMax)
		}
		note := ""
		if ms.KeyMissing {
			note = " (no key: set " + ms.KeyEnv + ")"
		}
		fmt.Fprintf(tw, "%s\t%s%s\t%d\t%d\t%d\t~%d\t~%d / %s\t%s\n", ms.Model, ms.Provider, note, est.Tasks, est.Samples, est.Requests,
			est.InputTokens, est.OutputTokens, limitCol, costCol)
		sum.Tasks += est.Tasks
		sum.Samples += est.Samples
		sum.Requests += est.Requests
		sum.InputTokens += est.InputTokens
		sum.OutputTokens += est.OutputTokens
		sum.OutputTokensMax += est.OutputTokensMax
		if est.Priced {
			sum.Cost += est.Cost
			sum.CostMax += est.CostMax
		}
	}
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t~%d\t~%d / %d\t%.2f / %.2f\n", sum.Tasks, sum.Samples, sum.Requests, sum.InputTokens,
		sum.OutputTokens, sum.OutputTokensMax, sum.Cost, sum.CostMax)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(a.io.ErrOut, "dry run: nothing was sent. Input tokens are estimated as prompt characters / 4; output assumes ~%d tokens per answer (reasoning models spend more, up to the limit).\n", generate.TypicalOutputTokens)
	if unpriced {
		fmt.Fprintln(a.io.ErrOut, "some models have no price: give one with --pricing FILE")
	}
	return nil
}
