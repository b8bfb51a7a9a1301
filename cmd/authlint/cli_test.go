package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/testtree"
)

// runCLI runs the command in dir and returns exit code, stdout, stderr.
func runCLI(t *testing.T, dir string, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

const clean = "events {}\nhttp {\n    server {\n        listen 8080;\n    }\n}\n"

const broken = "events {}\nhttp {\n    server {\n        listen 8080\n        location / { }\n    }\n}\n"

func TestExitCodes(t *testing.T) {
	dir := testtree.Write(t, map[string]string{"ok/nginx.conf": clean, "bad/nginx.conf": broken})
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"clean tree", []string{"ok"}, 0},
		{"parse error", []string{"bad"}, 1},
		{"missing path", []string{"nope"}, 2},
		{"unknown flag", []string{"--frobnicate", "ok"}, 2},
		{"bad format", []string{"--format", "xml", "ok"}, 2},
		{"bad fail-on", []string{"--fail-on", "sometimes", "ok"}, 2},
		{"bad color", []string{"--color", "blue", "ok"}, 2},
		{"bad root", []string{"--root", "etc=x", "ok"}, 2},
		{"flags after paths", []string{"bad", "--format", "json"}, 1},
		{"help", []string{"-h"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, dir, nil, "", tc.args...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.want, stderr)
			}
		})
	}
}

func TestFailOnThreshold(t *testing.T) {
	// include-not-found is a warning: it fails at the default threshold and
	// passes with --fail-on error.
	dir := testtree.Write(t, map[string]string{"nginx.conf": "events {}\nhttp {\n    include missing.conf;\n}\n"})
	if code, out, _ := runCLI(t, dir, nil, "", "."); code != 1 || !strings.Contains(out, "[include-not-found]") {
		t.Fatalf("default: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, dir, nil, "", "--fail-on", "error", "."); code != 0 {
		t.Fatalf("--fail-on error: exit %d", code)
	}
}

func TestTextOutputPosition(t *testing.T) {
	dir := testtree.Write(t, map[string]string{"nginx.conf": broken})
	code, out, stderr := runCLI(t, dir, nil, "", "--color", "never", ".")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	first, _, _ := strings.Cut(out, "\n")
	if !strings.HasPrefix(first, "nginx.conf:5:") || !strings.Contains(first, "error:") || !strings.HasSuffix(first, "[parse-error]") {
		t.Fatalf("first line %q", first)
	}
	if strings.Contains(out, "\x1b[") {
		t.Fatal("color with --color never")
	}
	if !strings.Contains(stderr, "1 finding") {
		t.Fatalf("summary missing from stderr: %q", stderr)
	}
}

func TestColor(t *testing.T) {
	dir := testtree.Write(t, map[string]string{"nginx.conf": broken})
	if _, out, _ := runCLI(t, dir, nil, "", "--color", "always", "."); !strings.Contains(out, "\x1b[") {
		t.Fatal("no color with --color always")
	}
	// auto never colors a non-terminal, and NO_COLOR does not beat always.
	if _, out, _ := runCLI(t, dir, nil, "", "."); strings.Contains(out, "\x1b[") {
		t.Fatal("color on a non-terminal")
	}
	if _, out, _ := runCLI(t, dir, map[string]string{"NO_COLOR": "1"}, "", "--color", "always", "."); !strings.Contains(out, "\x1b[") {
		t.Fatal("--color always must beat NO_COLOR")
	}
	if got, _ := colorWanted("auto", os.Stdout, func(k string) string { return map[string]string{"NO_COLOR": "1"}[k] }); got {
		t.Fatal("NO_COLOR ignored in auto mode")
	}
}

func TestJSONContract(t *testing.T) {
	dir := testtree.Write(t, map[string]string{"nginx.conf": broken})
	code, out, _ := runCLI(t, dir, nil, "", "--format", "json", ".")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Version  int `json:"version"`
		Findings []struct {
			Rule, Severity, File, Message, Hint string
			Line, Column, EndLine, EndColumn    int
			Related                             []any
		} `json:"findings"`
		Files []struct{ Path, Kind string } `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc.Version != 1 || len(doc.Findings) != 1 || len(doc.Files) != 1 {
		t.Fatalf("doc %+v", doc)
	}
	f := doc.Findings[0]
	if f.Rule != "parse-error" || f.Severity != "error" || f.File != "nginx.conf" || f.Line != 5 || f.Column < 1 || f.Related == nil {
		t.Fatalf("finding %+v", f)
	}
	if doc.Files[0].Path != "nginx.conf" || doc.Files[0].Kind != "nginx" {
		t.Fatalf("files %+v", doc.Files)
	}
}

func TestStdin(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := runCLI(t, dir, nil, broken, "--stdin-filename", "site/nginx.conf", "-")
	if code != 1 || !strings.HasPrefix(out, "site/nginx.conf:5:") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, dir, nil, clean, "-"); code != 0 {
		t.Fatalf("clean stdin: exit %d", code)
	}
}

func TestConfigFile(t *testing.T) {
	dir := testtree.Write(t, map[string]string{
		"nginx.conf":     "events {}\nhttp {\n    include missing.conf;\n}\n",
		".authlint.yaml": "rules:\n  include-not-found: \"off\"\n",
		"bad.yaml":       "rulez: {}\n",
		"strict.yaml":    "fail-on: info\nrules:\n  include-not-found: info\n",
	})
	if code, out, _ := runCLI(t, dir, nil, "", "."); code != 0 || out != "" {
		t.Fatalf("found config should silence the rule: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, dir, nil, "", "--no-config", "."); code != 1 {
		t.Fatalf("--no-config: exit %d", code)
	}
	if code, _, stderr := runCLI(t, dir, nil, "", "--config", "bad.yaml", "."); code != 2 || !strings.Contains(stderr, "line 1") {
		t.Fatalf("bad config: exit %d, %s", code, stderr)
	}
	if code, out, _ := runCLI(t, dir, nil, "", "--config", "strict.yaml", "."); code != 1 || !strings.Contains(out, "info:") {
		t.Fatalf("strict config: exit %d\n%s", code, out)
	}
}

func TestRootMapping(t *testing.T) {
	dir := testtree.Write(t, map[string]string{
		"deploy/nginx.conf":   "events {}\nhttp {\n    include /srv/conf/site.conf;\n}\n",
		"elsewhere/site.conf": "server {\n    listen 8080\n}\n",
	})
	// Without the mapping the include is missing; with it the parse error
	// inside the mapped file is found and reported in that file.
	if _, out, _ := runCLI(t, dir, nil, "", "deploy"); !strings.Contains(out, "[include-not-found]") {
		t.Fatalf("unmapped:\n%s", out)
	}
	_, out, _ := runCLI(t, dir, nil, "", "--root", "/srv/conf="+filepath.Join(dir, "elsewhere"), "deploy")
	if !strings.Contains(out, "elsewhere/site.conf:3:") || !strings.Contains(out, "[parse-error]") {
		t.Fatalf("mapped:\n%s", out)
	}
}

func TestRulesAndVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", nil, "", "rules")
	if code != 0 || !strings.Contains(out, "parse-error") || !strings.Contains(out, "site-wide-auth") {
		t.Fatalf("rules: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", nil, "", "rules", "site-wide-auth")
	if code != 0 || !strings.HasPrefix(out, "# site-wide-auth\n") || !strings.Contains(out, "## Fix") {
		t.Fatalf("rules ID: %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, "", nil, "", "rules", "no-such-rule"); code != 2 {
		t.Fatalf("unknown rule: exit %d", code)
	}
	if code, out, _ := runCLI(t, "", nil, "", "version"); code != 0 || !strings.HasPrefix(out, "authlint ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestSeveralOutputs(t *testing.T) {
	dir := testtree.Write(t, map[string]string{"nginx.conf": broken})
	summary := filepath.Join(dir, "summary.md")
	code, out, stderr := runCLI(t, dir, map[string]string{"GITHUB_STEP_SUMMARY": summary}, "",
		"--format", "text", "--format", "sarif", "-o", "out.sarif", "--format", "github", "-o", "gh.txt", "--format", "json", "--output", "out.json", ".")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(out, "nginx.conf:5:") {
		t.Fatalf("text to stdout:\n%s", out)
	}
	for name, want := range map[string]string{
		"out.sarif":  `"ruleId": "parse-error"`,
		"gh.txt":     "::error file=nginx.conf,line=5,",
		"out.json":   `"rule": "parse-error"`,
		"summary.md": "| error | `parse-error` | nginx.conf:5 |",
	} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s: %v\n%s", name, err, b)
		}
	}
	if code, _, _ := runCLI(t, dir, nil, "", "--format", "json", "--format", "sarif", "."); code != 2 {
		t.Fatalf("two reports on stdout: exit %d", code)
	}
	if code, _, _ := runCLI(t, dir, nil, "", "--format", "xml", "."); code != 2 {
		t.Fatalf("unknown format: exit %d", code)
	}
}

func TestBaseline(t *testing.T) {
	dir := testtree.Write(t, map[string]string{"nginx.conf": "events {}\nhttp {\n    server {\n        location /a/ {\n            auth_basic \"a\";\n        }\n    }\n}\n"})
	if code, _, stderr := runCLI(t, dir, nil, "", "--write-baseline", "base.json", "."); code != 0 || !strings.Contains(stderr, "recorded 1 finding") {
		t.Fatalf("write: exit %d %s", code, stderr)
	}
	if code, out, _ := runCLI(t, dir, nil, "", "--baseline", "base.json", "."); code != 0 || out != "" {
		t.Fatalf("known finding reported: exit %d\n%s", code, out)
	}
	// A new problem, added above the known one, is the only one reported.
	conf := "events {}\nhttp {\n    server {\n        location /b/ {\n            auth_basic \"b\";\n        }\n        location /a/ {\n            auth_basic \"a\";\n        }\n    }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, dir, nil, "", "--baseline", "base.json", "--color", "never", ".")
	if code != 1 || strings.Count(out, "[nginx-auth-basic-no-user-file]") != 1 || !strings.HasPrefix(out, "nginx.conf:5:") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, dir, nil, "", "--baseline", "nope.json", "."); code != 2 {
		t.Fatalf("missing baseline: exit %d", code)
	}
}

// TestDebianDefaultTrees: the configuration Debian's nginx and apache2
// packages install is clean, both on the machine (/etc/nginx, /etc/apache2,
// installed by .ci/run) and as the copies kept in fixtures/parse.
func TestDebianDefaultTrees(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	trees := []string{
		filepath.Join(repo, "fixtures", "parse", "nginx", "debian"),
		filepath.Join(repo, "fixtures", "parse", "apache", "debian"),
	}
	for _, live := range []string{"/etc/nginx", "/etc/apache2"} {
		if _, err := os.Stat(live); err != nil {
			if os.Getenv("CI") == "true" {
				t.Errorf("%s is missing: .ci/run installs nginx and apache2", live)
			}
			t.Logf("%s not installed here; skipping it", live)
			continue
		}
		trees = append(trees, live)
	}
	for _, tree := range trees {
		t.Run(tree, func(t *testing.T) {
			code, out, stderr := runCLI(t, t.TempDir(), nil, "", "--color", "never", "--fail-on", "info", tree)
			if code != 0 {
				t.Fatalf("exit %d on Debian's default configuration\n%s%s", code, out, stderr)
			}
			if !strings.Contains(stderr, "no findings") {
				t.Fatalf("summary %q", stderr)
			}
		})
	}
}

// TestConfigKeys exercises exclude, roots and docroot from .authlint.yaml.
func TestConfigKeys(t *testing.T) {
	dir := testtree.Write(t, map[string]string{
		"deploy/nginx.conf":     "events {}\nhttp {\n    include /srv/conf/*.conf;\n}\n",
		"elsewhere/site.conf":   "server {\n    listen 8080\n}\n",
		"legacy/old/nginx.conf": broken,
		".authlint.yaml":        "exclude: [\"legacy/**\"]\nroots:\n  /srv/conf: elsewhere\nrules:\n  include-not-found: \"off\"\n",
	})
	_, out, stderr := runCLI(t, dir, nil, "", "--color", "never", "--format", "json", ".")
	var doc struct {
		Findings []struct{ Rule, File string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s%s", err, out, stderr)
	}
	got := map[string]bool{}
	for _, f := range doc.Findings {
		got[f.Rule+" "+f.File] = true
	}
	// roots: the include resolves into elsewhere/, whose parse error shows.
	if !got["parse-error elsewhere/site.conf"] {
		t.Errorf("roots not applied: %v", got)
	}
	// exclude: the broken legacy tree is not read.
	if got["parse-error legacy/old/nginx.conf"] {
		t.Errorf("exclude not applied: %v", got)
	}
}

// TestConfigDocroot: in a tree of .htaccess files without any server
// config, docroot says which directory is the web root.
func TestConfigDocroot(t *testing.T) {
	files := map[string]string{
		"site/public/.htaccess": "AuthType Basic\nAuthName \"x\"\nAuthUserFile /etc/apache2/htpasswd\nRequire valid-user\n",
	}
	dir := testtree.Write(t, files)
	if _, out, _ := runCLI(t, dir, nil, "", "--color", "never", "."); strings.Contains(out, "[site-wide-auth]") {
		t.Fatalf("without docroot the scanned directory is the web root, and site/public is below it:\n%s", out)
	}
	files[".authlint.yaml"] = "docroot: site/public\n"
	dir = testtree.Write(t, files)
	if _, out, _ := runCLI(t, dir, nil, "", "--color", "never", "."); !strings.Contains(out, "site/public/.htaccess:4:1: warning:") || !strings.Contains(out, "[site-wide-auth]") {
		t.Fatalf("docroot not applied:\n%s", out)
	}
}

// TestNoWorkflowCommandInjection: config text quoted in messages and
// snippets cannot start or smuggle a GitHub runner command, in any format.
func TestNoWorkflowCommandInjection(t *testing.T) {
	dir := testtree.Write(t, map[string]string{
		"nginx.conf": "events {}\nhttp {\n    server {\n        location /a/ {\n" +
			"            auth_basic \"::set-output name=x::y ##[error]z\";\n        }\n    }\n}\n",
	})
	for _, format := range []string{"text", "github", "json", "sarif"} {
		_, out, _ := runCLI(t, dir, nil, "", "--color", "never", "--format", format, ".")
		if !strings.Contains(out, "set-output") {
			t.Fatalf("%s: the finding did not quote the directive:\n%s", format, out)
		}
		for line := range strings.SplitSeq(out, "\n") {
			trimmed := strings.TrimSpace(line)
			if strings.Contains(line, "##[") {
				t.Errorf("%s: legacy command marker in %q", format, line)
			}
			if strings.HasPrefix(trimmed, "::") && !strings.HasPrefix(trimmed, "::error ") &&
				!strings.HasPrefix(trimmed, "::warning ") && !strings.HasPrefix(trimmed, "::notice ") {
				t.Errorf("%s: a line starts a runner command: %q", format, line)
			}
		}
	}
}
