package rules

import "github.com/authlint/authlint/parser/ast"

// The suppression package reports these two ids; they have no Run.
func init() {
	all := []ast.Kind{ast.KindNginx, ast.KindApache, ast.KindHtaccess}
	Register(&Rule{
		ID: "suppression-invalid", Severity: Warning, Servers: all, Doc: doc("suppression-invalid"),
		Summary: "an authlint:ignore comment without a reason or with an unknown rule id",
	})
	Register(&Rule{
		ID: "suppression-unused", Severity: Info, Servers: all, Doc: doc("suppression-unused"),
		Summary: "an authlint:ignore comment that suppresses nothing",
	})
}
