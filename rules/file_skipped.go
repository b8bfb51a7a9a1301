package rules

import "github.com/authlint/authlint/parser/ast"

// FileSkipped is reported by discovery for files it will not read.
const FileSkipped = "file-skipped"

func init() {
	Register(&Rule{
		ID:       FileSkipped,
		Summary:  "a file was not read (binary, larger than 10 MiB, or unreadable)",
		Severity: Info,
		Servers:  []ast.Kind{ast.KindNginx, ast.KindApache, ast.KindHtaccess},
		Doc:      doc(FileSkipped),
	})
}
