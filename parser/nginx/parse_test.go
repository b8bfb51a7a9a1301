package nginx

import (
	"fmt"
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
)

// at renders a node as "name@line:col" for compact comparisons.
func at(n *ast.Node) string { return fmt.Sprintf("%s@%d:%d", n.Name, n.Pos.Line, n.Pos.Col) }

func flatten(nodes []*ast.Node) []string {
	var out []string
	ast.Walk(nodes, func(n *ast.Node) bool {
		out = append(out, at(n))
		return true
	})
	return out
}

func mustParse(t *testing.T, src string) *ast.File {
	t.Helper()
	f, problems := Parse("test.conf", []byte(src))
	if len(problems) > 0 {
		t.Fatalf("unexpected problems: %v", problems)
	}
	return f
}

func TestPositions(t *testing.T) {
	const conf = "http {\n" + // 1
		"    server {\n" + // 2
		"        listen 80;\n" + // 3
		"        location /admin/ {\n" + // 4
		"            auth_basic \"x\";\n" + // 5
		"        }\n" + // 6
		"    }\n" + // 7
		"}\n"
	want := []string{"http@1:1", "server@2:5", "listen@3:9", "location@4:9", "auth_basic@5:13"}
	variants := map[string]string{
		"lf":       conf,
		"crlf":     strings.ReplaceAll(conf, "\n", "\r\n"),
		"bom":      "\uFEFF" + conf,
		"bom+crlf": "\uFEFF" + strings.ReplaceAll(conf, "\n", "\r\n"),
	}
	for name, src := range variants {
		t.Run(name, func(t *testing.T) {
			f, problems := Parse("test.conf", []byte(src))
			// nginx rejects a byte-order mark; the positions ignore it.
			wantProblems := 0
			if strings.HasPrefix(name, "bom") {
				wantProblems = 1
			}
			if len(problems) != wantProblems || (wantProblems == 1 && (problems[0].Pos.Line != 1 || problems[0].Pos.Col != 1 || !strings.Contains(problems[0].Message, "byte-order mark"))) {
				t.Fatalf("problems %v", problems)
			}
			if got := flatten(f.Nodes); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("got %v, want %v", got, want)
			}
			loc := f.Nodes[0].Children[0].Children[1]
			if loc.End.Line != 6 || loc.End.Col != 9 {
				t.Errorf("location End = %v, want 6:9 (its closing brace)", loc.End)
			}
			if a := loc.Args[0]; a.Pos.Line != 4 || a.Pos.Col != 18 {
				t.Errorf("location arg at %v, want 4:18", a.Pos)
			}
			if e := loc.Children[0].End; e.Line != 5 || e.Col != 27 {
				t.Errorf("auth_basic End = %v, want 5:27", e)
			}
		})
	}
}

func TestColumnsCountRunes(t *testing.T) {
	f := mustParse(t, "add_header X-Name \"Ünïcødé\"; root /x;\n")
	if got := at(f.Nodes[1]); got != "root@1:30" {
		t.Fatalf("root at %s, want 1:30 (columns in runes)", got)
	}
}

// Each gonginx defect in docs/gonginx-notes.md, pinned.
func TestGonginxDefects(t *testing.T) {
	t.Run("stray brace is an error and nothing after it is dropped", func(t *testing.T) {
		src := "http {\n    server { listen 80; }\n}\n}\nhttp {\n    server { listen 81; }\n}\n"
		f, problems := Parse("t.conf", []byte(src))
		wantProblem(t, problems, 4, `unexpected "}"`)
		if len(f.Nodes) != 2 || f.Nodes[1].Pos.Line != 5 {
			t.Fatalf("content after the stray brace lost: %v", flatten(f.Nodes))
		}
	})
	t.Run("block start lines", func(t *testing.T) {
		f := mustParse(t, "server {\n listen 80;\n\n\n location /admin/ {\n  deny all;\n\n\n }\n}\n")
		loc := f.Nodes[0].Children[1]
		if loc.Pos.Line != 5 || loc.End.Line != 9 {
			t.Fatalf("location at %d..%d, want 5..9", loc.Pos.Line, loc.End.Line)
		}
	})
	t.Run("missing semicolon before a block", func(t *testing.T) {
		_, problems := Parse("t.conf", []byte("server {\n    listen 80\n    location / {\n    }\n}\n"))
		wantProblem(t, problems, 3, `directive "listen" is not terminated by ";"`)
	})
	t.Run("missing semicolon merges directives", func(t *testing.T) {
		_, problems := Parse("t.conf", []byte("location / {\n  auth_basic \"x\"\n  auth_basic_user_file /f;\n}\n"))
		wantProblem(t, problems, 3, `invalid number of arguments in "auth_basic" directive`)
	})
	t.Run("if params as nginx tokenizes them", func(t *testing.T) {
		f := mustParse(t, "if ($request_method = OPTIONS) { return 204; }\nif ($a = \"b c\") { return 403; }\n")
		if got := strings.Join(f.Nodes[0].Values(), "|"); got != "($request_method|=|OPTIONS)" {
			t.Errorf("if args %q", got)
		}
		if got := IfCondition(f.Nodes[0]); got != "$request_method = OPTIONS" {
			t.Errorf("IfCondition = %q", got)
		}
		if got := strings.Join(f.Nodes[1].Values(), "|"); got != "($a|=|b c|)" {
			t.Errorf("quoted if args %q", got)
		}
		if got := IfCondition(f.Nodes[1]); got != `$a = "b c"` {
			t.Errorf("IfCondition = %q", got)
		}
	})
	t.Run("quoted params unquoted with Quote set", func(t *testing.T) {
		f := mustParse(t, "add_header X \"a b\" always;\nset $v 'it\\'s';\nset $w \"q\\\"q\";\n")
		a := f.Nodes[0].Args[1]
		if a.Value != "a b" || a.Quote != '"' || a.Pos.Col != 14 {
			t.Errorf("arg = %+v", a)
		}
		if b := f.Nodes[1].Args[1]; b.Value != "it's" || b.Quote != '\'' {
			t.Errorf("arg = %+v", b)
		}
		if c := f.Nodes[2].Args[1]; c.Value != `q"q` || c.Raw() != `"q"q"` {
			t.Errorf("arg = %+v", c)
		}
	})
	t.Run("lua block with braces in strings", func(t *testing.T) {
		src := "location /l {\n content_by_lua_block {\n  local s = \"{\"\n  local t = {a = '}'} -- }\n  ngx.say([[{]])\n }\n return 200;\n}\n"
		f := mustParse(t, src)
		loc := f.Nodes[0]
		if len(loc.Children) != 2 || loc.Children[1].Name != "return" || loc.Children[1].Pos.Line != 7 {
			t.Fatalf("children %v", flatten(loc.Children))
		}
		lua := loc.Children[0]
		if !lua.Block || lua.End.Line != 6 || !strings.Contains(lua.Arg(0), `local s = "{"`) {
			t.Fatalf("lua node %+v", lua)
		}
	})
}

func wantProblem(t *testing.T, problems []ast.Problem, line int, msg string) {
	t.Helper()
	for i := range problems {
		if p := &problems[i]; p.Code == ast.CodeParseError && p.Pos.Line == line && p.Message == msg {
			return
		}
	}
	t.Fatalf("want parse-error %q at line %d, got %v", msg, line, problems)
}

func TestStructuralErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"eof in block", "http {\n server {\n }\n", 4, `unexpected end of file, expecting "}"`},
		{"eof in directive", "http {\n listen 80", 2, `unexpected end of file, expecting ";" or "}"`},
		{"eof in quote", "root \"/x;\n\n", 3, `unexpected end of file, expecting ";" or "}"`},
		{"brace after words", "server {\n listen 80\n}\n", 3, `unexpected "}"`},
		{"semicolon alone", "http {\n ;\n}\n", 2, `unexpected ";"`},
		{"brace alone", "http {\n {\n}\n}\n", 2, `unexpected "{"`},
		{"text after quote", "root \"/x\"y;\n", 1, `unexpected "y"`},
		{"no opening brace", "http;\n", 1, `directive "http" has no opening "{"`},
		{"block in map", "map $a $b {\n default 0;\n x {\n }\n}\n", 3, `unexpected "{"`},
		{"too many args", "location /a /b /c {\n}\n", 1, `invalid number of arguments in "location" directive`},
		{"too deep", strings.Repeat("a {\n", 300) + strings.Repeat("}\n", 300), 201, "blocks nested deeper than 200 levels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, problems := Parse("t.conf", []byte(c.src))
			wantProblem(t, problems, c.line, c.msg)
		})
	}
}

func TestNoFalseErrors(t *testing.T) {
	cases := map[string]string{
		"third-party block":     "rtmp {\n server {\n  listen 1935;\n  application live { live on; }\n }\n}\n",
		"upstream server":       "upstream u {\n server 10.0.0.1:80 weight=5 max_fails=3;\n keepalive_timeout 60s;\n}\n",
		"fragment server line":  "server 10.0.0.1;\nserver 10.0.0.2 backup;\n",
		"variables with braces": "return 301 https://${host}${request_uri};\n",
		"hash inside word":      "set $a b#c;\n",
		"stream":                "stream {\n server {\n  listen 53 udp;\n  return 1.2.3.4;\n }\n}\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			mustParse(t, src)
		})
	}
}

func TestComments(t *testing.T) {
	f := mustParse(t, "# head\nlisten 80; # trailing\n  # own line\nserver { # after brace\n}\n")
	want := []ast.Comment{
		{Text: " head", Pos: ast.Pos{File: "test.conf", Line: 1, Col: 1}},
		{Text: " trailing", Pos: ast.Pos{File: "test.conf", Line: 2, Col: 12}, Trailing: true},
		{Text: " own line", Pos: ast.Pos{File: "test.conf", Line: 3, Col: 3}},
		{Text: " after brace", Pos: ast.Pos{File: "test.conf", Line: 4, Col: 10}, Trailing: true},
	}
	if fmt.Sprint(f.Comments) != fmt.Sprint(want) {
		t.Fatalf("comments\n got %v\nwant %v", f.Comments, want)
	}
}

func TestCrossCheckReportsDisagreement(t *testing.T) {
	src := "server {\n    listen 80;\n    root /a;\n}\nserver {\n    listen 81;\n}\n"
	cases := []struct {
		name   string
		damage func(p *parser, n []*ast.Node) []*ast.Node
		line   int
	}{
		{"renamed", func(p *parser, n []*ast.Node) []*ast.Node { p.raws[n[0].Children[1]][0] = "alias"; return n }, 3},
		{"argument", func(p *parser, n []*ast.Node) []*ast.Node { p.raws[n[1].Children[0]] = []string{"82"}; return n }, 6},
		{"dropped child", func(_ *parser, n []*ast.Node) []*ast.Node { n[0].Children = n[0].Children[:1]; return n }, 1},
		{"dropped block", func(_ *parser, n []*ast.Node) []*ast.Node { return n[:1] }, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Simulate a scanner bug: our tree differs from what gonginx reads.
			p := &parser{lx: newLexer("t.conf", []byte(src)), raws: map[*ast.Node][]string{}}
			nodes := c.damage(p, p.block(nil, ctxUnknown, false))
			problems := crossCheck("t.conf", p.gonginxText(), nodes, p.raws)
			if len(problems) != 1 || problems[0].Code != ast.CodeParseError || problems[0].Pos.Line != c.line {
				t.Fatalf("want one parse-error at line %d, got %v", c.line, problems)
			}
		})
	}
}

func TestGonginxLexerQuirksMasked(t *testing.T) {
	// gonginx reads these words differently from nginx (backtick quotes,
	// escapes, braces); they are masked so the structure is still checked.
	f := mustParse(t, "log_format x `a b`;\nset $a b}c;\nset $b \"C:\\\\\";\nset $c d\\ e;\nserver { listen 80; }\n")
	if got := strings.Join(flatten(f.Nodes), " "); got != "log_format@1:1 set@2:1 set@3:1 set@4:1 server@5:1 listen@5:10" {
		t.Fatalf("nodes %s", got)
	}
	if got := f.Nodes[2].Arg(1); got != `C:\` {
		t.Errorf("escaped backslash: %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"http { server { listen 80; location / { return 200 \"ok\"; } } }",
		"content_by_lua_block { local s = \"{\" }",
		"if ($a = b) { return 403; }\n}\n",
		"\uFEFFmap $a $b {\r\n default 0;\r\n}\r\n",
		"set $a \"x\\\"y\" 'z';",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, _ := Parse("fuzz.conf", src)
		ast.Walk(file.Nodes, func(n *ast.Node) bool {
			if !n.Pos.IsValid() || n.End.Line < n.Pos.Line {
				t.Fatalf("bad position for %s: %v..%v", n.Name, n.Pos, n.End)
			}
			return true
		})
	})
}

func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("http {\n")
	for i := range 2000 {
		fmt.Fprintf(&sb, "server {\n listen %d;\n server_name s%d.example.test;\n location /admin/ {\n  auth_basic \"admin\";\n  auth_basic_user_file /etc/nginx/htpasswd;\n  proxy_pass http://127.0.0.1:8080;\n }\n}\n", 10000+i, i)
	}
	sb.WriteString("}\n")
	src := []byte(sb.String())
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for b.Loop() {
		if _, problems := Parse("bench.conf", src); len(problems) > 0 {
			b.Fatal(problems)
		}
	}
}
