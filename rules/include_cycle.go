package rules

import "github.com/authlint/authlint/parser/ast"

// The loaders report this id; it has no Run of its own.
func init() {
	Register(&Rule{
		ID:       ast.CodeIncludeCycle,
		Summary:  "an include leads back to a file that is already being read",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindNginx, ast.KindApache},
		Doc:      doc(ast.CodeIncludeCycle),
	})
}
