package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
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
	"github.com/baxbench/baxbench-go/internal/llm/anthropic"
	"github.com/baxbench/baxbench-go/internal/llm/compat"
	"github.com/baxbench/baxbench-go/internal/llm/openai"
	"github.com/baxbench/baxbench-go/internal/llm/reference"
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

func providerNames() []string {
	return append([]string{llm.ProviderOpenAI, llm.ProviderAnthropic}, compat.Names()...)
}

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

// modelEntry is one model's entry in --model-config.
type modelEntry struct {
	Provider          string         `json:"provider"`
	BaseURL           string         `json:"base_url"`
	APIKeyEnv         string         `json:"api_key_env"`
	APIModel          string         `json:"api_model"`
	MaxTokens         int            `json:"max_tokens"`
	ReasoningEffort   string         `json:"reasoning_effort"`
	ThinkingBudget    int            `json:"thinking_budget"`
	SamplesPerRequest int            `json:"samples_per_request"`
	SystemRole        string         `json:"system_role"`
	OmitTemperature   *bool          `json:"omit_temperature"`
	Extra             map[string]any `json:"extra_body"`
}

func readModelConfig(path string) (map[string]modelEntry, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErrorf("read --model-config: %v", err)
	}
	var cfg map[string]modelEntry
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return nil, usageErrorf("parse --model-config %s: %v", path, err)
	}
	return cfg, nil
}

// modelSetup is how one model is served.
type modelSetup struct {
	model, provider, baseURL, keyEnv string
	keyMissing                       bool
	settings                         llm.Settings
	client                           llm.Client
	why                              string
}

// setupModels decides provider, endpoint, key and settings for every model, before any work starts.
// A missing key is an error unless keys are not needed (dry run).
func (a *app) setupModels(sel *selection, g *genOpts, p *plan, needKeys bool) ([]*modelSetup, error) {
	if err := g.validate(); err != nil {
		return nil, err
	}
	cfg, err := readModelConfig(g.modelConfig)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{}
	var out []*modelSetup
	for _, m := range slices.Compact(slices.Sorted(slices.Values(sel.models))) {
		ms, err := a.setupModel(m, cfg[m], g, p, hc, needKeys)
		if err != nil {
			return nil, err
		}
		out = append(out, ms)
	}
	return out, nil
}

func (a *app) setupModel(m string, e modelEntry, g *genOpts, p *plan, hc *http.Client, needKeys bool) (*modelSetup, error) {
	ms := &modelSetup{model: m}
	switch {
	case e.Provider != "":
		ms.provider, ms.why = e.Provider, "--model-config"
	case g.provider != "":
		ms.provider, ms.why = g.provider, "--provider"
	case m == reference.Model:
		ms.provider, ms.why = llm.ProviderReference, "built-in model"
	case g.baseURL != "" || e.BaseURL != "":
		ms.provider, ms.why = llm.ProviderCompat, "--base-url"
	// Guessing from the name is the last resort, and only for names that cannot be mistaken (DEV-G1).
	case strings.Contains(m, "claude"):
		ms.provider, ms.why = llm.ProviderAnthropic, "model name contains \"claude\""
	case openai.Reasoning(m) || strings.Contains(m, "gpt"):
		ms.provider, ms.why = llm.ProviderOpenAI, "OpenAI model name"
	default:
		return nil, usageErrorf("cannot tell which provider serves model %q: give --provider (%s), --base-url, or a --model-config entry (the built-in model is %q)",
			m, strings.Join(providerNames(), ", "), reference.Model)
	}
	if ms.provider == llm.ProviderReference {
		return ms, a.setupReference(ms, p)
	}
	if !slices.Contains(providerNames(), ms.provider) {
		return nil, usageErrorf("model %s: unknown provider %q; valid: %s", m, ms.provider, strings.Join(providerNames(), ", "))
	}
	effort := g.reasoningEffort
	if e.ReasoningEffort != "" {
		effort = e.ReasoningEffort
	}
	ms.baseURL = firstOf(e.BaseURL, g.baseURL)
	defaultKeyEnv := ""
	var preset compat.Preset
	switch ms.provider {
	case llm.ProviderOpenAI:
		ms.settings, defaultKeyEnv = openai.Settings(m, effort), "OPENAI_API_KEY"
		ms.baseURL = firstOf(ms.baseURL, openai.DefaultBaseURL)
	case llm.ProviderAnthropic:
		ms.settings, defaultKeyEnv = anthropic.Settings(m), "ANTHROPIC_API_KEY"
		ms.baseURL = firstOf(ms.baseURL, anthropic.DefaultBaseURL)
	default:
		preset, _ = compat.Lookup(ms.provider)
		ms.settings, defaultKeyEnv = compat.Settings(preset, m, effort), preset.KeyEnv
		ms.baseURL = firstOf(ms.baseURL, preset.BaseURL)
		if ms.baseURL == "" {
			return nil, usageErrorf("model %s: provider %s needs --base-url", m, ms.provider)
		}
	}
	// Overrides: flags, then the model's config entry.
	st := &ms.settings
	setInt(&st.MaxTokens, g.maxTokens, e.MaxTokens)
	setInt(&st.ThinkingBudget, g.thinkingBudget, e.ThinkingBudget)
	setInt(&st.SamplesPerRequest, g.samplesPerRequest, e.SamplesPerRequest)
	if e.APIModel != "" {
		st.APIModel = e.APIModel
	}
	if e.SystemRole != "" {
		if !slices.Contains([]string{llm.RoleSystem, llm.RoleDeveloper, llm.RoleNone}, e.SystemRole) {
			return nil, usageErrorf("model %s: system_role %q; valid: system, developer, none", m, e.SystemRole)
		}
		st.SystemRole = e.SystemRole
	}
	if e.OmitTemperature != nil {
		st.OmitTemperature = *e.OmitTemperature
	}
	if e.ReasoningEffort != "" && st.ReasoningEffort == "" {
		st.ReasoningEffort = e.ReasoningEffort
	}
	for k, v := range e.Extra {
		if st.Extra == nil {
			st.Extra = map[string]any{}
		}
		st.Extra[k] = v
	}
	if ms.provider == llm.ProviderAnthropic {
		*st = anthropic.Normalize(*st)
	}
	// The key.
	ms.keyEnv = firstOf(e.APIKeyEnv, g.apiKeyEnv, defaultKeyEnv)
	key := ""
	if ms.keyEnv != "" && ms.keyEnv != "none" {
		key = a.io.Getenv(ms.keyEnv)
		explicit := e.APIKeyEnv != "" || g.apiKeyEnv != ""
		// A local compatible server (vLLM, Ollama, a test fake) may need no key.
		optional := ms.provider != llm.ProviderOpenAI && ms.provider != llm.ProviderAnthropic && !explicit && isLoopback(ms.baseURL)
		if key == "" && !optional {
			ms.keyMissing = true
			if needKeys {
				return nil, usageErrorf("model %s (provider %s) needs an API key: set %s, or name another variable with --api-key-env",
					m, ms.provider, ms.keyEnv)
			}
		}
	}
	switch ms.provider {
	case llm.ProviderOpenAI:
		ms.client = openai.New(openai.Config{Name: llm.ProviderOpenAI, BaseURL: ms.baseURL, APIKey: key, HTTPClient: hc})
	case llm.ProviderAnthropic:
		ms.client = anthropic.New(anthropic.Config{BaseURL: ms.baseURL, APIKey: key, HTTPClient: hc})
	default:
		ms.client = compat.New(preset, ms.baseURL, key, hc)
	}
	return ms, nil
}

func (a *app) setupReference(ms *modelSetup, p *plan) error {
	var missing []string
	for _, t := range p.tasks {
		if t.task.Model == ms.model && !reference.Has(t.scenario, t.env.PathID()) {
			missing = append(missing, t.scenario.ID+" on "+t.env.ID)
		}
	}
	if len(missing) > 0 {
		shown := missing
		if len(shown) > 8 {
			shown = append(shown[:8:8], fmt.Sprintf("and %d more", len(missing)-8))
		}
		return usageErrorf("the reference model has no solution for %d of the selected tasks (%s); every scenario has one for Go-net/http (--envs Go-net/http), and Login, Calculator and ClickCount for every environment",
			len(missing), strings.Join(shown, ", "))
	}
	ms.client = reference.Client{}
	ms.settings = llm.Settings{SystemRole: llm.RoleNone}
	return nil
}

func setInt(dst *int, flag, entry int) {
	if flag > 0 {
		*dst = flag
	}
	if entry > 0 {
		*dst = entry
	}
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func isLoopback(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
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
func (a *app) generators(sel *selection, o *engineOpts, g *genOpts, setups []*modelSetup, pricing llm.Pricing) map[string]*generate.Generator {
	store := &results.Store{Root: sel.resultsDir}
	limiters := map[string]*llm.Limiter{}
	gens := map[string]*generate.Generator{}
	for _, ms := range setups {
		key := ms.provider + " " + ms.baseURL
		if limiters[key] == nil {
			limiters[key] = llm.NewLimiter(g.concurrency, g.ratePerMinute)
		}
		gens[ms.model] = &generate.Generator{
			Store: store, Client: ms.client, Settings: ms.settings, Endpoint: ms.baseURL, Limiter: limiters[key],
			Backoff: g.backoff(), RequestTimeout: g.requestTimeout, Pricing: pricing, Log: a.log,
			Force: o.force, SkipFailed: g.skipFailed,
		}
	}
	return gens
}

// generate runs the generation stage over the plan.
func (a *app) generate(ctx context.Context, sel *selection, o *engineOpts, g *genOpts, p *plan) (generate.Result, error) {
	var total generate.Result
	if o.nSamples <= 0 {
		return total, usageErrorf("--n-samples must be positive")
	}
	setups, err := a.setupModels(sel, g, p, !g.dryRun)
	if err != nil {
		return total, err
	}
	pricing, err := g.pricing()
	if err != nil {
		return total, err
	}
	gens := a.generators(sel, o, g, setups, pricing)
	var jobs []generate.Job
	for _, t := range p.tasks {
		jobs = append(jobs, generate.Job{Task: t.task, Scenario: t.scenario, Env: t.env, N: o.nSamples})
	}
	if g.dryRun {
		return total, a.printEstimate(a.io.Out, setups, gens, jobs, pricing)
	}
	for _, ms := range setups {
		a.log.Info("model", "model", ms.model, "provider", ms.provider, "chosen_by", ms.why, "endpoint", ms.baseURL,
			"max_tokens", ms.settings.MaxTokens, "samples_per_request", ms.settings.SamplesPerRequest)
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

// typicalOutputTokens is the dry run's guess of an answer's length; reasoning models spend more.
const typicalOutputTokens = 3000

// printEstimate prints what a generation would ask for, per model, before anything is spent.
func (a *app) printEstimate(w io.Writer, setups []*modelSetup, gens map[string]*generate.Generator, jobs []generate.Job, pricing llm.Pricing) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "model\tprovider\ttasks\tsamples\trequests\tinput tokens\toutput tokens (typical / at limit)\tcost USD (typical / at limit)")
	var sumTasks, sumSamples, sumReq, sumIn, sumOut, sumOutMax int
	var sumCost, sumCostMax float64
	unpriced := false
	for _, ms := range setups {
		gen := gens[ms.model]
		var tasks, samples, reqs, in int
		for _, j := range jobs {
			if j.Task.Model != ms.model {
				continue
			}
			miss := len(gen.Missing(j))
			if miss == 0 {
				continue
			}
			user, _, err := generate.Prompt(j)
			if err != nil {
				return err
			}
			tasks++
			samples += miss
			r := gen.Requests(miss)
			reqs += r
			in += r * estimateTokens(user)
		}
		out := samples * typicalOutputTokens
		if ms.settings.MaxTokens > 0 {
			out = samples * min(typicalOutputTokens, ms.settings.MaxTokens)
		}
		outMax := samples * ms.settings.MaxTokens
		cost, ok := pricing.Cost(ms.model, llm.Usage{InputTokens: in, OutputTokens: out})
		costMax, _ := pricing.Cost(ms.model, llm.Usage{InputTokens: in, OutputTokens: outMax})
		costCol := "unknown price"
		switch {
		case ms.provider == llm.ProviderReference:
			costCol, ok = "0 (no API)", true
			in, out, outMax, cost, costMax = 0, 0, 0, 0, 0
		case ok && outMax > 0:
			costCol = fmt.Sprintf("%.2f / %.2f", cost, costMax)
		case ok:
			costCol = fmt.Sprintf("%.2f / ?", cost)
		default:
			unpriced = true
		}
		limitCol := "?"
		if outMax > 0 || ms.provider == llm.ProviderReference {
			limitCol = fmt.Sprint(outMax)
		}
		note := ""
		if ms.keyMissing {
			note = " (no key: set " + ms.keyEnv + ")"
		}
		fmt.Fprintf(tw, "%s\t%s%s\t%d\t%d\t%d\t~%d\t~%d / %s\t%s\n", ms.model, ms.provider, note, tasks, samples, reqs, in, out, limitCol, costCol)
		sumTasks += tasks
		sumSamples += samples
		sumReq += reqs
		sumIn += in
		sumOut += out
		sumOutMax += outMax
		if ok {
			sumCost += cost
			sumCostMax += costMax
		}
	}
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t~%d\t~%d / %d\t%.2f / %.2f\n", sumTasks, sumSamples, sumReq, sumIn, sumOut, sumOutMax, sumCost, sumCostMax)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(a.io.ErrOut, "dry run: nothing was sent. Input tokens are estimated as prompt characters / 4; output assumes ~%d tokens per answer (reasoning models spend more, up to the limit).\n", typicalOutputTokens)
	if unpriced {
		fmt.Fprintln(a.io.ErrOut, "some models have no price: give one with --pricing FILE")
	}
	return nil
}

func estimateTokens(s string) int { return (len(s) + 3) / 4 }
