package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// pkgVar declares a package-level variable (a compiled LIKE pattern, a BYTES, DECIMAL
// or TIMESTAMP constant), with an optional trailing comment, and returns its name. The
// variables are never written: equal initializers share one.
func (g *gen) pkgVar(base string, init jen.Code, comment string) string {
	key := fmt.Sprintf("%#v", init)
	if name, ok := g.pkgVarNames[key]; ok {
		return name
	}
	g.nPkgVars++
	name := base + itoa(g.nPkgVars)
	// var like1 = types.NewLikeMatcher("%x%", 0)
	decl := jen.Var().Id(name).Op("=").Add(init)
	if comment != "" {
		decl.Comment(comment)
	}
	g.pkgVars = append(g.pkgVars, decl)
	if g.pkgVarNames == nil {
		g.pkgVarNames = map[string]string{}
	}
	g.pkgVarNames[key] = name
	return name
}

// udfSite registers a UDF call site and returns its number (1-based).
func (g *gen) udfSite(name, pos string) int {
	g.udfSites = append(g.udfSites, udfSite{name: name, pos: pos})
	return len(g.udfSites)
}

type udfSite struct{ name, pos string }
