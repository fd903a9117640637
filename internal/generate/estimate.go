package generate

import (
	"github.com/baxbench/baxbench-go/internal/llm"
)

// TypicalOutputTokens is the dry run's guess of an answer's length; reasoning models spend more, up
// to their limit.
const TypicalOutputTokens = 3000

// Estimate is what a generation of one model would ask for, before anything is sent.
type Estimate struct {
	Model    string
	Tasks    int // tasks with missing samples
	Samples  int // missing samples
	Requests int
	// InputTokens are estimated as prompt characters / 4 per request.
	InputTokens int
	// OutputTokens assume TypicalOutputTokens per answer (capped by the limit); OutputTokensMax is every
	// answer at the limit (0: no limit known).
	OutputTokens, OutputTokensMax int
	Cost, CostMax                 float64
	// Priced: the pricing table knows the model. Free: the model needs no API (the reference model).
	Priced, Free bool
}

// Estimate sums the requests, tokens and cost of the missing samples of model's jobs. A free model
// (no API) costs nothing and sends no tokens.
func (g *Generator) Estimate(model string, jobs []Job, pricing llm.Pricing, free bool) (Estimate, error) {
	est := Estimate{Model: model, Free: free}
	for _, j := range jobs {
		if j.Task.Model != model {
			continue
		}
		miss := len(g.Missing(j))
		if miss == 0 {
			continue
		}
		user, _, err := Prompt(j)
		if err != nil {
			return est, err
		}
		est.Tasks++
		est.Samples += miss
		r := g.Requests(miss)
		est.Requests += r
		est.InputTokens += r * EstimateTokens(user)
	}
	if free {
		est.InputTokens, est.Priced = 0, true
		return est, nil
	}
	est.OutputTokens = est.Samples * TypicalOutputTokens
	if g.Settings.MaxTokens > 0 {
		est.OutputTokens = est.Samples * min(TypicalOutputTokens, g.Settings.MaxTokens)
	}
	est.OutputTokensMax = est.Samples * g.Settings.MaxTokens
	est.Cost, est.Priced = pricing.Cost(model, llm.Usage{InputTokens: est.InputTokens, OutputTokens: est.OutputTokens})
	est.CostMax, _ = pricing.Cost(model, llm.Usage{InputTokens: est.InputTokens, OutputTokens: est.OutputTokensMax})
	return est, nil
}

// EstimateTokens guesses a text's token count as characters / 4.
func EstimateTokens(s string) int { return (len(s) + 3) / 4 }
