// Package scenarios lists every scenario the benchmark knows, in a stable order. Adding a scenario is its
// folder plus one line here.
package scenarios

import (
	"slices"
	"strings"

	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenarios/calculator"
	"github.com/baxbench/baxbench-go/internal/scenarios/clickcount"
	"github.com/baxbench/baxbench-go/internal/scenarios/compiler"
	"github.com/baxbench/baxbench-go/internal/scenarios/creditcardservice"
	"github.com/baxbench/baxbench-go/internal/scenarios/filesearch"
	"github.com/baxbench/baxbench-go/internal/scenarios/forum"
	"github.com/baxbench/baxbench-go/internal/scenarios/frameextract"
	"github.com/baxbench/baxbench-go/internal/scenarios/imageconverter"
	"github.com/baxbench/baxbench-go/internal/scenarios/imagetransfer"
	"github.com/baxbench/baxbench-go/internal/scenarios/logger"
	"github.com/baxbench/baxbench-go/internal/scenarios/login"
	"github.com/baxbench/baxbench-go/internal/scenarios/monitor"
	"github.com/baxbench/baxbench-go/internal/scenarios/pdfcat"
	"github.com/baxbench/baxbench-go/internal/scenarios/pdftotext"
	"github.com/baxbench/baxbench-go/internal/scenarios/productcatalog"
	"github.com/baxbench/baxbench-go/internal/scenarios/profilecollection"
	"github.com/baxbench/baxbench-go/internal/scenarios/recipes"
	"github.com/baxbench/baxbench-go/internal/scenarios/recommendationservice"
	"github.com/baxbench/baxbench-go/internal/scenarios/regexsearch"
	"github.com/baxbench/baxbench-go/internal/scenarios/secretstorage"
	"github.com/baxbench/baxbench-go/internal/scenarios/shopoverview"
	"github.com/baxbench/baxbench-go/internal/scenarios/shoppingcartservice"
	"github.com/baxbench/baxbench-go/internal/scenarios/songdownloader"
	"github.com/baxbench/baxbench-go/internal/scenarios/unsubscribe"
	"github.com/baxbench/baxbench-go/internal/scenarios/uptimeservice"
	"github.com/baxbench/baxbench-go/internal/scenarios/usercreation"
	"github.com/baxbench/baxbench-go/internal/scenarios/wiki"
	"github.com/baxbench/baxbench-go/internal/scenarios/ziptotxt"
)

// All returns every scenario, sorted by id.
func All() []*scenario.Scenario {
	all := []*scenario.Scenario{
		calculator.Scenario(),
		clickcount.Scenario(),
		compiler.Scenario(),
		creditcardservice.Scenario(),
		filesearch.Scenario(),
		forum.Scenario(),
		frameextract.Scenario(),
		imageconverter.Scenario(),
		imagetransfer.Scenario(),
		logger.Scenario(),
		login.Scenario(),
		monitor.Scenario(),
		pdfcat.Scenario(),
		pdftotext.Scenario(),
		productcatalog.Scenario(),
		profilecollection.Scenario(),
		recipes.Scenario(),
		recommendationservice.Scenario(),
		regexsearch.Scenario(),
		secretstorage.Scenario(),
		shopoverview.Scenario(),
		shoppingcartservice.Scenario(),
		songdownloader.Scenario(),
		unsubscribe.Scenario(),
		uptimeservice.Scenario(),
		usercreation.Scenario(),
		wiki.Scenario(),
		ziptotxt.Scenario(),
	}
	slices.SortFunc(all, func(a, b *scenario.Scenario) int { return strings.Compare(a.ID, b.ID) })
	return all
}
