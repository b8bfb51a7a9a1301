package rules

import "github.com/authlint/authlint/parser/ast"

// The parsers report this id; it has no Run of its own.
func init() {
	Register(&Rule{
		ID:       ast.CodeParseError,
		Summary:  "the server would refuse to load this file (syntax error)",
		Severity: Error,
		Servers:  []ast.Kind{ast.KindNginx, ast.KindApache, ast.KindHtaccess},
		Doc:      doc(ast.CodeParseError),
	})
}
