// Package discover finds the configuration files authlint lints: it walks
// the paths given on the command line, classifies each file as nginx,
// Apache or .htaccess by name, place and content, honors exclude globs, and
// notes the files it had to skip (binary, too large, unreadable, looping
// symlinks).
package discover

import "github.com/authlint/authlint/parser/ast"

// File is a config to lint.
type File struct {
	Path   string   // as reached: the root as given joined with the walked names
	Kind   ast.Kind //
	Reason string   // why it was classified so, for debugging
}

// Note says why a file or directory was skipped.
type Note struct {
	Path    string
	Message string
}

// Options tune a walk.
type Options struct {
	// Exclude holds doublestar globs matched against the slash path relative
	// to the scan root and against the base name; a matching directory is
	// not entered. Files given explicitly as roots are never excluded.
	Exclude []string
	// AccessFileNames are the .htaccess names (Apache's AccessFileName);
	// empty means [".htaccess"].
	AccessFileNames []string
}

// maxSize is the largest file authlint reads; bigger files are noted.
const maxSize = 10 << 20

// skipDirs are never entered: they hold other people's code, not configs.
var skipDirs = set(".git", ".hg", ".svn", "node_modules", "vendor")
