package rules

import (
	"github.com/authlint/authlint/parser/ast"
)

// nginx-satisfy-any-open (catalog X3): under `satisfy any` the first access
// check that passes wins; an allow rule that matches every client passes
// for everyone, so auth is never asked.
func init() {
	Register(&Rule{
		ID:       "nginx-satisfy-any-open",
		Summary:  "`satisfy any` with an allow rule that admits every client turns auth off",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindNginx},
		Doc:      doc("nginx-satisfy-any-open"),
		Run:      runSatisfyAnyOpen,
	})
}

func runSatisfyAnyOpen(p *Pass) {
	for _, s := range nginxServers(p) {
		scopes := s.Scopes()
		for _, sc := range scopes {
			for _, m := range probeMethods {
				a := sc.AuthFor(m)
				if !a.Required {
					continue
				}
				allow := a.Scope.SatisfyAnyOpen()
				if allow == nil {
					continue
				}
				satisfy := a.Scope.Scalar("satisfy")
				p.Report(Finding{
					Pos: allow.Pos, End: allow.End,
					Message: "under " + directiveText(satisfy) + " " + levelName(a.Scope, satisfy) + ", " + directiveText(allow) +
						" lets " + a.Scope.SatisfyAnyOpenTo() + " pass the access check, so " + directiveText(a.By) + " is never asked for (" + a.Scope.Chain() + ")",
					Hint:    "remove the allow rule (or narrow it to a trusted network followed by `deny all;`), or use `satisfy all;`",
					Related: []Related{related(a.By, "the auth that is skipped"), related(satisfy, "satisfy any: the first passing check wins")},
				})
				break
			}
		}
	}
}
