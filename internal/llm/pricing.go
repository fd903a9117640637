package llm

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
)

// Price is a model's list price in US dollars per million tokens.
type Price struct {
	InputPerMTok  float64 `json:"input_per_mtok"`
	OutputPerMTok float64 `json:"output_per_mtok"`
}

// Pricing maps model names (as given to --models) to prices.
type Pricing map[string]Price

// DefaultPricing holds published list prices (USD per million tokens, standard tier, no caching or
// batch discounts) for the models upstream evaluates. Prices change: override them with a file.
func DefaultPricing() Pricing {
	return Pricing{
		"gpt-4o":                     {2.50, 10},
		"chatgpt-4o-latest":          {5, 15},
		"gpt-4.1-2025-04-14":         {2, 8},
		"gpt-4.1-mini-2025-04-14":    {0.40, 1.60},
		"o1":                         {15, 60},
		"o1-mini":                    {1.10, 4.40},
		"o3-mini":                    {1.10, 4.40},
		"o3-2025-04-16":              {2, 8},
		"o4-mini-2025-04-16":         {1.10, 4.40},
		"gpt-5-2025-08-07":           {1.25, 10},
		"claude-3-5-sonnet-20241022": {3, 15},
		"claude-3-5-haiku-20241022":  {0.80, 4},
		"claude-3-7-sonnet-20250219": {3, 15},
		"claude-sonnet-4-20250514":   {3, 15},
		"claude-opus-4-20250514":     {15, 75},
		"claude-opus-4-1-20250805":   {15, 75},
	}
}

// ReadPricing reads a JSON object {"model": {"input_per_mtok": 1.5, "output_per_mtok": 6}, ...} and
// returns base with those entries replaced or added.
func ReadPricing(r io.Reader, base Pricing) (Pricing, error) {
	var over map[string]Price
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&over); err != nil {
		return nil, fmt.Errorf("read pricing: %w", err)
	}
	out := maps.Clone(base)
	if out == nil {
		out = Pricing{}
	}
	for m, p := range over {
		if p.InputPerMTok < 0 || p.OutputPerMTok < 0 {
			return nil, fmt.Errorf("read pricing: negative price for %s", m)
		}
		out[m] = p
	}
	return out, nil
}

// Cost is the price of usage u with model, and whether the model's price is known.
func (p Pricing) Cost(model string, u Usage) (float64, bool) {
	pr, ok := p[model]
	if !ok {
		return 0, false
	}
	return (float64(u.InputTokens)*pr.InputPerMTok + float64(u.OutputTokens)*pr.OutputPerMTok) / 1e6, true
}
