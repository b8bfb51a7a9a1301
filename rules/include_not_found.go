package rules

import "github.com/authlint/authlint/parser/ast"

// The loaders report this id; it has no Run of its own. It is a warning, not
// an error: a lone snippet linted out of its server often names files that
// exist only on the server.
func init() {
	Register(&Rule{
		ID:       ast.CodeIncludeNotFound,
		Summary:  "an included file does not exist, so its directives were not checked",
		Severity: Warning,
		Servers:  []ast.Kind{ast.KindNginx, ast.KindApache},
		Doc:      doc(ast.CodeIncludeNotFound),
	})
}
