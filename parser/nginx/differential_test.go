package nginx

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authlint/authlint/parser/ast"
)

// maxMutationsPerFile keeps the differential test to a few seconds.
const maxMutationsPerFile = 200

// lexerUnexpected is the tokenizer's `unexpected "c"`, not the if parser's
// `unexpected "=" in condition`.
var lexerUnexpected = regexp.MustCompile(`^unexpected ".?"$`)

var emergLine = regexp.MustCompile(`\[emerg\] \d+#\d+: (.*) in (\S+):(\d+)\s*$`)

// structural tells nginx's syntax errors from its semantic ones (unknown
// directive, not allowed here, invalid value, ...).
func structural(msg string) bool {
	if lexerUnexpected.MatchString(msg) {
		return true
	}
	for _, s := range []string{
		"unexpected end of file", "too long parameter", `is not terminated by ";"`,
		`has no opening "{"`, "invalid number of arguments",
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func nginxBinary(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/nginx"); serr == nil {
			return "/usr/sbin/nginx"
		}
		if os.Getenv("CI") == "true" {
			t.Fatal("nginx is required in CI")
		}
		t.Skip("nginx not installed")
	}
	return bin
}

// nginxTest runs `nginx -t` on conf and returns nginx's first emerg
// message with its file and line ("" when the test passed).
func nginxTest(t *testing.T, bin, conf string) (ok bool, msg, file string, line int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	prefix := t.TempDir()
	args := []string{"-t", "-q", "-e", "stderr", "-p", prefix + "/", "-c", conf}
	if !setsPid(conf) {
		// The compiled-in /run/nginx.pid is not writable without root.
		args = append(args, "-g", "pid "+filepath.Join(prefix, "nginx.pid")+";")
	}
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err == nil {
		return true, "", "", 0
	}
	for l := range strings.SplitSeq(string(out), "\n") {
		if m := emergLine.FindStringSubmatch(l); m != nil {
			line, _ = strconv.Atoi(m[3])
			return false, m[1], m[2], line
		}
	}
	return false, strings.TrimSpace(string(out)), "", 0
}

// setsPid reports whether conf has its own pid directive (nginx refuses a
// second one from -g).
func setsPid(conf string) bool {
	src, err := os.ReadFile(conf)
	if err != nil {
		return false
	}
	f, _ := Parse(conf, src)
	for _, n := range f.Nodes {
		if n.Name == "pid" {
			return true
		}
	}
	return false
}

// TestDifferentialAgainstNginx mutates every fixture file (one deleted
// `;`, `{`, `}` or quote per copy) and checks that whenever nginx rejects
// the copy with a syntax error, Parse reports a parse-error at the same
// line, and that Parse reports none when nginx accepts the copy.
func TestDifferentialAgainstNginx(t *testing.T) {
	bin := nginxBinary(t)
	root, err := filepath.Abs(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var compared atomic.Int64
	t.Run("files", func(t *testing.T) {
		for _, f := range files {
			rel, _ := filepath.Rel(root, f)
			t.Run(rel, func(t *testing.T) {
				t.Parallel()
				compared.Add(int64(differential(t, bin, root, rel)))
			})
		}
	})
	if compared.Load() == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("nginx rejected every fixture unmutated: nothing was compared")
		}
		t.Skip("nginx rejected every fixture unmutated (not root?): nothing was compared")
	}
}

func differential(t *testing.T, bin, root, rel string) (compared int) {
	// Work on a copy of the fixture tree so relative includes resolve.
	tree, _, _ := strings.Cut(rel, string(filepath.Separator))
	work := t.TempDir()
	if err := os.CopyFS(filepath.Join(work, tree), os.DirFS(filepath.Join(root, tree))); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(work, rel)
	orig, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	conf := harness(t, bin, target, orig)
	if conf == "" {
		t.Skip("nginx rejects this file unmutated in every context tried")
	}
	var spots []int
	for i, c := range orig {
		if strings.IndexByte(";{}\"'", c) >= 0 {
			spots = append(spots, i)
		}
	}
	step := max(1, (len(spots)+maxMutationsPerFile-1)/maxMutationsPerFile)
	checked := 0
	for k := 0; k < len(spots); k += step {
		i := spots[k]
		mutated := append(append([]byte(nil), orig[:i]...), orig[i+1:]...)
		if err := os.WriteFile(target, mutated, 0o600); err != nil {
			t.Fatal(err)
		}
		ok, msg, file, line := nginxTest(t, bin, conf)
		_, problems := Parse(target, mutated)
		what := "deleting " + strconv.Quote(string(orig[i])) + " at byte " + strconv.Itoa(i)
		switch {
		case ok:
			for j := range problems {
				if problems[j].Code == ast.CodeParseError {
					t.Errorf("%s: nginx accepts the file, authlint reports %v", what, problems[j])
				}
			}
		case structural(msg) && file == target:
			checked++
			if !hasParseErrorAt(problems, line) {
				t.Errorf("%s: nginx says %q at line %d, authlint reports %v", what, msg, line, problems)
			}
		}
	}
	if err := os.WriteFile(target, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d mutations, %d structural errors compared", (len(spots)+step-1)/step, checked)
	return checked
}

func hasParseErrorAt(problems []ast.Problem, line int) bool {
	for i := range problems {
		if problems[i].Code == ast.CodeParseError && problems[i].Pos.Line == line {
			return true
		}
	}
	return false
}

// harness returns a main configuration that reads target in the first
// context where nginx accepts it unmutated: as the main file, or included
// in http, server or location. The harness lives in the directory of the
// nearest nginx.conf so relative includes resolve as in the tree.
func harness(t *testing.T, bin, target string, src []byte) string {
	t.Helper()
	dir := filepath.Dir(target)
	for d := dir; d != "/" && d != "."; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "nginx.conf")); err == nil {
			dir = d
			break
		}
	}
	f, _ := Parse(target, src)
	candidates := []string{
		"events {}\nhttp {\n access_log off;\n include " + target + ";\n}\n",
		"events {}\nhttp {\n access_log off;\n server {\n  include " + target + ";\n }\n}\n",
		"events {}\nhttp {\n access_log off;\n server {\n  location / {\n   include " + target + ";\n  }\n }\n}\n",
	}
	if inferContext(target, f.Nodes) == "main" {
		if ok, _, _, _ := nginxTest(t, bin, target); ok {
			return target
		}
	}
	for i, c := range candidates {
		conf := filepath.Join(dir, "authlint-harness-"+strconv.Itoa(i)+".conf")
		if err := os.WriteFile(conf, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
		if ok, _, _, _ := nginxTest(t, bin, conf); ok {
			return conf
		}
	}
	return ""
}

// TestLoaderReadsWhatNginxReads compares the files the loader splices, in
// order, with the files `nginx -T` dumps for the same entry.
func TestLoaderReadsWhatNginxReads(t *testing.T) {
	bin := nginxBinary(t)
	root, err := filepath.Abs(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	entries := []string{
		filepath.Join(root, "basic", "nginx.conf"),
		filepath.Join(root, "includes", "nginx.conf"),
		filepath.Join(root, "edge", "nginx.conf"),
		filepath.Join(root, "debian", "etc", "nginx", "nginx.conf"),
	}
	if _, err := os.Stat("/etc/nginx/nginx.conf"); err == nil {
		entries = append(entries, "/etc/nginx/nginx.conf")
	}
	for _, entry := range entries {
		t.Run(entry, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			prefix := t.TempDir()
			args := []string{"-T", "-q", "-e", "stderr", "-p", prefix + "/", "-c", entry}
			if !setsPid(entry) {
				args = append(args, "-g", "pid "+filepath.Join(prefix, "nginx.pid")+";")
			}
			out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
			if err != nil {
				t.Skipf("nginx -T fails here: %s", out)
			}
			var want []string
			for l := range strings.SplitSeq(string(out), "\n") {
				if f, ok := strings.CutPrefix(l, "# configuration file "); ok {
					f = strings.TrimSuffix(f, ":")
					// A copy of /etc/nginx reads its own files, not the machine's
					// (paths.Resolver rebases the conventional prefix).
					if rest, ok := strings.CutPrefix(f, "/etc/nginx/"); ok {
						f = filepath.Join(filepath.Dir(entry), rest)
					}
					want = append(want, f)
				}
			}
			cfg := NewLoader(nil, nil).Load(entry, "")
			if len(cfg.Problems) > 0 {
				t.Fatalf("problems: %v", cfg.Problems)
			}
			if strings.Join(cfg.Files, "\n") != strings.Join(want, "\n") {
				t.Fatalf("loader read\n%s\nnginx read\n%s", strings.Join(cfg.Files, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestErrorLinesMatchNginx pins nginx's message and line for small broken
// files (measured with nginx 1.22 `nginx -t`), and re-measures them when
// nginx is installed.
func TestErrorLinesMatchNginx(t *testing.T) {
	const head = "events {}\nhttp {\n"
	cases := []struct {
		src  string
		line int    // 0: nginx accepts the syntax
		msg  string // nginx's message
	}{
		{head + " root \"a\"b;\n}\n", 3, `unexpected "b"`},
		{head + " server {\n  listen 80;\n }", 5, `unexpected end of file, expecting "}"`},
		{head + " server {\n  listen 80;\n }\n", 6, `unexpected end of file, expecting "}"`},
		{head + " return 200 \"x\"}\n}\n", 3, `unexpected "}"`},
		{head + " types {\n  text/html html;\n  x {\n  }\n }\n}\n", 5, `unexpected "{"`},
		{head + " root /x\\", 3, `unexpected end of file, expecting ";" or "}"`},
		{head + " # comment at eof", 3, `unexpected end of file, expecting "}"`},
		{head + " server {\n  location / { return 200 ok; }}\n }\n}\n}\n", 6, `unexpected "}"`},
		{head + " root \"/x;\n}\n\n", 6, `unexpected end of file, expecting ";" or "}"`},
		{head + " server {\n  listen 80;\n  location /\n  {\n  }\n  location / \n  root /x;\n }\n}\n", 9, `directive "location" has no opening "{"`},
		{head + " server {\n  location / {\n   auth_basic off\n  }\n }\n}\n", 6, `unexpected "}"`},
		{head + " server {\n   ;\n }\n}\n", 4, `unexpected ";"`},
		{"events {}\n;", 2, `unexpected ";"`},
		{"events {}\nhttp\n{\nserver\n\n{\n}\n}\n}", 9, `unexpected "}"`},
		{head + " server {\n  listen 80\n  location / { }\n }\n}\n", 5, `directive "listen" is not terminated by ";"`},
		{head + " server {\n  location / {\n   auth_basic \"x\"\n   auth_basic_user_file /f;\n  }\n }\n}\n", 6, `invalid number of arguments in "auth_basic" directive`},
		{head + " server {\n  if ($request_method = \"POST\"){ return 403; }\n }\n}\n", 0, ""},
		{head + " map $a $b {\n  default 0\n  x 1;\n }\n}\n", 0, ""},
		{head + " server {\n  location = /x {\n   return 200 'it\\'s';\n  }\n }\n}\n", 0, ""},
		// nginx reads through a 4096-byte buffer: a token or comment that
		// fills it is an error at the line where it started.
		{head + " # " + strings.Repeat("x", 5000) + "\n}\n", 3, `too long parameter "# xxxxxxxx..." started`},
		{head + " set $a " + strings.Repeat("y", 5000) + ";\n}\n", 3, `too long parameter "yyyyyyyyyy..." started`},
		{head + " set $a " + strings.Repeat("y", 5000), 3, `too long parameter "yyyyyyyyyy..." started`},
		{head + " set $a \"abc;\n" + strings.Repeat("  root /x;\n", 600) + "}\n", 3, `too long parameter, probably missing terminating """ character`},
		{head + " set $a '" + strings.Repeat("y", 5000) + "';\n}\n", 3, `too long parameter, probably missing terminating "'" character`},
		{"# " + strings.Repeat("z", 4094) + "\nevents {}\n", 1, `too long parameter "# zzzzzzzz..." started`},
		{"# " + strings.Repeat("z", 4093) + "\nevents {}\n", 0, ""},
	}
	bin := ""
	if _, err := exec.LookPath("nginx"); err == nil || os.Getenv("CI") == "true" {
		bin = nginxBinary(t)
	}
	for i, c := range cases {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			_, problems := Parse("case.conf", []byte(c.src))
			switch {
			case c.line == 0 && len(problems) > 0:
				t.Errorf("nginx accepts %q, authlint reports %v", c.src, problems)
			case c.line > 0 && (len(problems) != 1 || problems[0].Pos.Line != c.line || problems[0].Message != c.msg):
				t.Errorf("%q: want %s at line %d, got %v", c.src, c.msg, c.line, problems)
			}
			if bin == "" {
				return
			}
			conf := filepath.Join(t.TempDir(), "case.conf")
			if err := os.WriteFile(conf, []byte(c.src), 0o600); err != nil {
				t.Fatal(err)
			}
			_, msg, _, line := nginxTest(t, bin, conf)
			if c.line > 0 && (msg != c.msg || line != c.line) {
				t.Errorf("%q: nginx now says %q at line %d", c.src, msg, line)
			}
			if c.line == 0 && structural(msg) {
				t.Errorf("%q: nginx now says %q", c.src, msg)
			}
		})
	}
}
