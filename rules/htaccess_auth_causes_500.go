package rules

import (
	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// htaccess-auth-causes-500 (catalog R4b, "forbidden-500"): an access file
// holds auth directives that the AllowOverride in effect forbids without
// Nonfatal; httpd then answers every request for the directory and below
// with 500 ("AuthType not allowed here").
func init() {
	Register(&Rule{
		ID:       "htaccess-auth-causes-500",
		Summary:  "the .htaccess auth is forbidden by AllowOverride: the whole directory answers 500",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindApache, ast.KindHtaccess},
		Doc:      doc("htaccess-auth-causes-500"),
		Run:      runHtaccessAuthCauses500,
	})
}

func runHtaccessAuthCauses500(p *Pass) {
	m := apacheModel(p)
	if m == nil {
		return
	}
	guardApache(p, m, func() { runHtaccessAuthCauses500In(p, m) })
}

func runHtaccessAuthCauses500In(p *Pass, m *apachemodel.Model) {
	for _, a := range htaccessAuths(m) {
		eff, ov, by := a.effect(m)
		if eff != htFatal {
			continue
		}
		p.Report(Finding{
			Pos: a.at.Pos, End: a.at.End,
			Message: "every request under " + a.dir + " fails with 500: " + overrideSource(ov) + " does not allow " +
				apacheText(by) + " in " + a.h.Path + " (error log: \"" + by.Name + " not allowed here\")",
			Hint: "add AuthConfig: `<Directory \"" + a.dir + "\"> AllowOverride AuthConfig </Directory>` (or list the auth " +
				"directives in AllowOverrideList), or move the auth into the server config",
			Related: overrideRelated(ov),
		})
	}
}
