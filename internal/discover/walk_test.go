package discover

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
)

// tree writes files (path -> content) and symlinks (path -> target) under
// a temp dir and returns it.
func tree(t *testing.T, files, links map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for p, target := range links {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.FromSlash(target), full); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// rel renders files as "kind path" with paths relative to root, and notes
// as "path: message", for comparison.
func rel(root string, files []File, notes []Note) (fs, ns []string) {
	strip := func(p string) string {
		if r, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
		return p
	}
	for _, f := range files {
		fs = append(fs, string(f.Kind)+" "+strip(f.Path))
	}
	for _, n := range notes {
		ns = append(ns, strip(n.Path)+": "+n.Message)
	}
	return fs, ns
}

func TestWalkTree(t *testing.T) {
	root := tree(t, map[string]string{
		"nginx/nginx.conf":               "user www-data;\nhttp {\n  include sites-enabled/*;\n}\n",
		"nginx/sites-available/site":     nginxServer,
		"nginx/README.md":                nginxServer,
		"apache2/apache2.conf":           apacheVhost,
		"apache2/envvars":                envvars,
		"www/.htaccess":                  "Require all denied\n",
		"www/index.html":                 "<html></html>",
		".git/nginx.conf":                nginxServer,
		"node_modules/pkg/nginx.conf":    nginxServer,
		"vendor/.htaccess":               "Deny from all\n",
		"excluded/x.conf":                nginxServer,
		"skip.conf":                      nginxServer,
		"keep.conf":                      nginxServer,
		"bin.conf":                       "server {\x00}\n",
		"zz-target/real.conf":            apacheVhost,
		"notes.txt":                      "just some words\n",
		"nginx/sites-available/zz.conf~": "leftover",
	}, map[string]string{
		"nginx/sites-enabled/site": "../sites-available/site", // Debian style
		"a-link.conf":              "zz-target/real.conf",     // found before its target
		"self":                     "self",                    // loops on itself
		"broken.conf":              "missing.conf",
		"loop":                     ".",  // a directory symlink into the root
		"www/up":                   "..", // likewise, from below
	})
	huge, err := os.Create(filepath.Join(root, "huge.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if err = huge.Truncate(maxSize + 1); err != nil { // sparse: no 10 MiB written
		t.Fatal(err)
	}
	huge.Close()

	files, notes, err := Walk([]string{root}, Options{Exclude: []string{"excluded/**", "skip.conf"}})
	if err != nil {
		t.Fatal(err)
	}
	gotFiles, gotNotes := rel(root, files, notes)
	wantFiles := []string{
		"apache a-link.conf",
		"apache apache2/apache2.conf",
		"nginx keep.conf",
		"nginx nginx/nginx.conf",
		"nginx nginx/sites-available/site",
		"htaccess www/.htaccess",
	}
	wantNotes := []string{
		"bin.conf: binary file (NUL byte in the first 8 KiB); skipped",
		"broken.conf: broken symlink; skipped",
		"huge.conf: larger than 10 MiB; skipped",
		"self: symlink loop; skipped",
	}
	if !reflect.DeepEqual(gotFiles, wantFiles) {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(gotFiles, "\n"), strings.Join(wantFiles, "\n"))
	}
	if !reflect.DeepEqual(gotNotes, wantNotes) {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(gotNotes, "\n"), strings.Join(wantNotes, "\n"))
	}
	for _, f := range files {
		if f.Reason == "" {
			t.Errorf("%s: empty Reason", f.Path)
		}
	}

	// The walk is deterministic.
	again, againNotes, _ := Walk([]string{root}, Options{Exclude: []string{"excluded/**", "skip.conf"}})
	if !reflect.DeepEqual(again, files) || !reflect.DeepEqual(againNotes, notes) {
		t.Error("a second walk gave a different result")
	}
}

// TestWalkLoopOutsideRoot: a symlinked directory outside the root is
// entered once; a link inside it back to itself is noted, not followed.
func TestWalkLoopOutsideRoot(t *testing.T) {
	base := tree(t, map[string]string{
		"outside/app.conf": nginxServer,
	}, map[string]string{
		"outside/again": "../outside",
		"root/out":      "../outside",
	})
	root := filepath.Join(base, "root")
	files, notes, err := Walk([]string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	gotFiles, gotNotes := rel(root, files, notes)
	if want := []string{"nginx out/app.conf"}; !reflect.DeepEqual(gotFiles, want) {
		t.Errorf("files %q, want %q", gotFiles, want)
	}
	realOut, _ := filepath.EvalSymlinks(filepath.Join(base, "outside"))
	want := []string{"out/again: directory already walked as " + realOut + " (symlink loop or duplicate); skipped"}
	if !reflect.DeepEqual(gotNotes, want) {
		t.Errorf("notes %q, want %q", gotNotes, want)
	}
}

func TestWalkExplicitFiles(t *testing.T) {
	root := tree(t, map[string]string{
		"odd-name.txt":  nginxServer,
		"README.md":     nginxServer,
		"words":         "hello\n",
		"custom/.acl":   "Require all denied\n",
		"custom/x.conf": "Require all denied\n",
		"excluded.conf": apacheVhost,
	}, nil)
	p := func(s string) string { return filepath.Join(root, s) }
	files, notes, err := Walk(
		[]string{p("odd-name.txt"), p("README.md"), p("words"), p("custom"), p("excluded.conf")},
		Options{AccessFileNames: []string{".acl"}, Exclude: []string{"excluded.conf"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	gotFiles, gotNotes := rel(root, files, notes)
	wantFiles := []string{
		"nginx odd-name.txt",
		"htaccess custom/.acl",
		"apache custom/x.conf", // one known directive is enough in a *.conf
		"apache excluded.conf", // an explicit file is never excluded
	}
	if !reflect.DeepEqual(gotFiles, wantFiles) {
		t.Errorf("files %q, want %q", gotFiles, wantFiles)
	}
	if len(gotNotes) != 2 || !strings.HasPrefix(gotNotes[0], "README.md: not recognized") ||
		!strings.HasPrefix(gotNotes[1], "words: not recognized") {
		t.Errorf("notes %q, want README.md and words not recognized", gotNotes)
	}
}

func TestWalkMissingRoot(t *testing.T) {
	root := tree(t, map[string]string{"a/site.conf": nginxServer}, map[string]string{"dangling": "nowhere"})
	missing := filepath.Join(root, "nope")
	files, _, err := Walk([]string{missing, filepath.Join(root, "a"), filepath.Join(root, "dangling")}, Options{})
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "dangling") {
		t.Errorf("err = %v, want both missing roots named", err)
	}
	if len(files) != 1 || files[0].Kind != ast.KindNginx {
		t.Errorf("the existing root should still be walked, got %v", files)
	}
}

func TestWalkBadExclude(t *testing.T) {
	root := tree(t, map[string]string{"a.conf": nginxServer}, nil)
	files, notes, err := Walk([]string{root}, Options{Exclude: []string{"[", "b.conf"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || len(notes) != 1 || !strings.Contains(notes[0].Message, `bad exclude pattern "["`) {
		t.Errorf("files %v notes %v", files, notes)
	}
	if ValidateExcludes([]string{"**/*.conf", "["}) == nil {
		t.Error("ValidateExcludes accepted [")
	}
	if err := ValidateExcludes([]string{"**/*.conf", "a/{b,c}"}); err != nil {
		t.Error(err)
	}
}

// TestWalkExcludeBaseName: a pattern without a slash matches base names at
// any depth, and an excluded directory is not entered.
func TestWalkExcludeBaseName(t *testing.T) {
	root := tree(t, map[string]string{
		"a/b/old.conf":   nginxServer,
		"a/b/new.conf":   nginxServer,
		"tmp/x/new.conf": nginxServer,
	}, nil)
	files, _, err := Walk([]string{root}, Options{Exclude: []string{"old.*", "tmp"}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := rel(root, files, nil)
	if want := []string{"nginx a/b/new.conf"}; !reflect.DeepEqual(got, want) {
		t.Errorf("files %q, want %q", got, want)
	}
}

// TestWalkDebianEtc walks the Debian packages' own configs when they are
// installed: everything under /etc/nginx is nginx, everything under
// /etc/apache2 is Apache, envvars and magic are skipped, and each enabled
// symlink is linted once, as its sites-/conf-/mods-available target.
func TestWalkDebianEtc(t *testing.T) {
	roots := []string{"/etc/nginx", "/etc/apache2"}
	for _, r := range roots {
		if _, err := os.Stat(r); err != nil {
			t.Skip(r + " not installed; skipping")
		}
	}
	files, _, err := Walk(roots, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		seen[f.Path] = true
		want := ast.KindApache
		if strings.HasPrefix(f.Path, "/etc/nginx/") {
			want = ast.KindNginx
		}
		if f.Kind != want {
			t.Errorf("%s: %s (%s), want %s", f.Path, f.Kind, f.Reason, want)
		}
		if strings.Contains(f.Path, "-enabled/") {
			t.Errorf("%s: the -enabled symlink should give way to its -available target", f.Path)
		}
	}
	for _, p := range []string{"/etc/nginx/nginx.conf", "/etc/nginx/mime.types", "/etc/apache2/apache2.conf", "/etc/apache2/ports.conf"} {
		if !seen[p] {
			t.Errorf("%s not found", p)
		}
	}
	for _, p := range []string{"/etc/apache2/envvars", "/etc/apache2/magic"} {
		if seen[p] {
			t.Errorf("%s should not be linted", p)
		}
	}
}
