package rules

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/parser/ast"
)

// htaccess-auth-in-public-dir (catalog R4a): an effective access file asks
// for a password in the web root or a public asset directory (css, js,
// images...), or above one: auth applies to every subdirectory, so the
// public files ask for credentials too.
func init() {
	Register(&Rule{
		ID:       "htaccess-auth-in-public-dir",
		Summary:  "an .htaccess puts a password on the web root or a public asset directory",
		Severity: Warning,
		Servers:  []ast.Kind{ast.KindApache, ast.KindHtaccess},
		Doc:      doc("htaccess-auth-in-public-dir"),
		Run:      runHtaccessAuthInPublicDir,
	})
}

// publicDirs are directory names that hold public assets.
var publicDirs = []string{
	"assets", "static", "public", "css", "js", "img", "images", "fonts", "media", "uploads",
	"dist", "build", "vendor", ".well-known",
}

// privateDirs are deliberately protected areas: auth there is the point.
var privateDirs = []string{
	"admin", "administrator", "private", "protected", "secure", "restricted", "intranet", "internal",
	"wp-admin", "phpmyadmin", "pma", "adminer", "manager", "staff", "backend", "dashboard", "stats",
}

func runHtaccessAuthInPublicDir(p *Pass) {
	m := apacheModel(p)
	if m == nil {
		return
	}
	guardApache(p, m, func() { runHtaccessAuthInPublicDirIn(p, m) })
}

func runHtaccessAuthInPublicDirIn(p *Pass, m *apachemodel.Model) {
	for _, a := range htaccessAuths(m) {
		if !a.dirWide {
			continue // scoped to some files by <Files>/<FilesMatch>
		}
		if eff, _, _ := a.effect(m); eff != htEffective && eff != htUnknown {
			continue // htaccess-auth-ignored or -causes-500 reports it
		}
		if deliberate(m, a.dir) {
			continue
		}
		if why, open := publicReason(m, a); why != "" {
			p.Report(Finding{
				Pos: a.at.Pos, End: a.at.End,
				Message: "the auth in " + a.h.Path + " covers " + why + ": auth applies to every file and " +
					"subdirectory below " + a.dir + " until another section's Require replaces it",
				Hint: "move the access file into the private subdirectory, or re-open the public part in the server " +
					"config: `<Directory \"" + open + "\"> Require all granted </Directory>`",
			})
		}
	}
}

// deliberate reports a directory inside a protected area (by name), below
// the web root.
func deliberate(m *apachemodel.Model, dir string) bool {
	rel := dir
	for _, s := range m.Servers {
		if s.DocRoot != "" && strings.HasPrefix(dir, s.DocRoot) {
			rel = strings.TrimPrefix(dir, s.DocRoot)
		}
	}
	for part := range strings.SplitSeq(filepath.ToSlash(rel), "/") {
		if slices.Contains(privateDirs, strings.ToLower(part)) {
			return true
		}
	}
	return false
}

// publicReason says what public content the access file guards, or "",
// and the directory to re-open.
func publicReason(m *apachemodel.Model, a htAuth) (why, open string) {
	assets := filepath.Join(a.dir, "assets")
	for _, s := range m.Servers {
		if s.DocRoot == "" {
			continue
		}
		if a.dir == s.DocRoot {
			return "the web root (DocumentRoot) of " + s.Label() + ", so the whole site asks for credentials", assets
		}
		if strings.HasPrefix(s.DocRoot, strings.TrimSuffix(a.dir, "/")+"/") {
			return "the web root " + s.DocRoot + " of " + s.Label() + " below it, so the whole site asks for credentials", assets
		}
	}
	if slices.Contains(publicDirs, strings.ToLower(filepath.Base(a.dir))) {
		return "the public asset directory " + a.dir, a.dir
	}
	for _, s := range m.Servers {
		if url := s.URLFor(a.dir); url != "" && slices.Contains(publicDirs, strings.ToLower(filepath.Base(strings.TrimSuffix(url, "/")))) {
			return "the public asset URL " + url, a.dir
		}
	}
	if sub := publicBelow(a.h.RealDir, 2); sub != "" && stillGuarded(m, filepath.Join(a.dir, sub)) {
		return "the public asset directory " + filepath.Join(a.dir, sub) + " below it", filepath.Join(a.dir, sub)
	}
	return "", ""
}

// publicBelow finds an asset directory up to depth levels below dir on
// disk, not under a protected area; "" when none.
func publicBelow(dir string, depth int) string {
	if depth == 0 {
		return ""
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	for _, e := range entries {
		name := strings.ToLower(e.Name())
		if !e.IsDir() || slices.Contains(privateDirs, name) {
			continue
		}
		if slices.Contains(publicDirs, name) {
			return e.Name()
		}
		if sub := publicBelow(filepath.Join(dir, e.Name()), depth-1); sub != "" {
			return filepath.Join(e.Name(), sub)
		}
	}
	return ""
}

// stillGuarded reports whether a file in dir needs a user on a server
// that serves it, or when no server config tells (a run of .htaccess
// files): a <Directory> that re-opens the assets makes it false.
func stillGuarded(m *apachemodel.Model, dir string) bool {
	for _, s := range m.Servers {
		if url := s.URLFor(dir); url != "" {
			need, _ := s.NeedsUser(url+"x.css", "GET")
			return need
		}
	}
	return true
}
