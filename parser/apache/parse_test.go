package apache

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
)

// treeCases pin the tree and every position for inputs without errors.
var treeCases = []struct {
	name, src, want string
	comments        []string // "L:C text"
}{
	{
		name: "words and quotes",
		src:  "ServerName example.com\nRequire user \"alice smith\" 'bob'\n",
		want: "1:1-1:22 ServerName example.com@1:12\n" +
			"2:1-2:32 Require user@2:9 \"alice smith\"@2:14 'bob'@2:28\n",
	},
	{
		name: "continuation keeps each argument's own line",
		src:  "Require user alice \\\n    bob\n",
		want: "1:1-2:7 Require user@1:9 alice@1:14 bob@2:5\n",
	},
	{
		name: "continuation joins without a blank",
		src:  "Define X a\\\nb\n",
		want: "1:1-2:1 Define X@1:8 ab@1:10\n",
	},
	{
		name: "backslash before trailing blanks does not continue",
		src:  "Define X a\\ \nServerName b\n",
		want: "1:1-1:11 Define X@1:8 a\\@1:10\n2:1-2:12 ServerName b@2:12\n",
	},
	{
		name: "nested sections",
		src: "<Directory \"/var/www\">\n  Options None\n  <Files x>\n    Require all denied\n  </Files>\n</Directory>\n" +
			"<directory /x>\n</DIRECTORY>\n",
		want: "1:1-6:12 Directory \"/var/www\"@1:12\n" +
			"  2:3-2:14 Options None@2:11\n" +
			"  3:3-5:10 Files x@3:10\n" +
			"    4:5-4:22 Require all@4:13 denied@4:17\n" +
			"7:1-8:12 directory /x@7:12\n",
	},
	{
		name: "section tag split over lines",
		src:  "<If \"%{REQUEST_METHOD} == 'GET' \\\n  && true\">\n</If>\n",
		want: "1:1-3:5 If \"%{REQUEST_METHOD} == 'GET'   && true\"@1:5\n",
	},
	{
		name:     "hash inside a line is an ordinary character",
		src:      "Header set X a#b # not a comment\n# real comment\n  #indented\n",
		want:     "1:1-1:32 Header set@1:8 X@1:12 a#b@1:14 #@1:18 not@1:20 a@1:24 comment@1:26\n",
		comments: []string{"2:1  real comment", "3:3 indented"},
	},
	{
		name:     "a comment ending in a backslash swallows the next line",
		src:      "# off \\\nRequire all denied\nOptions None\n",
		want:     "3:1-3:12 Options None@3:9\n",
		comments: []string{"1:1  off Require all denied"},
	},
	{
		name: "columns count runes",
		src:  "AuthName \"Zoné privée\" é\n",
		want: "1:1-1:24 AuthName \"Zoné privée\"@1:10 é@1:24\n",
	},
	{
		name: "blanks and tabs",
		src:  "\n\t\tOptions  None \t\n\n",
		want: "2:3-2:15 Options None@2:12\n",
	},
	{
		name: "a closing quote ends the word",
		src:  "Define X \"foo\"bar\n",
		want: "1:1-1:17 Define X@1:8 \"foo\"@1:10 bar@1:15\n",
	},
	{
		name: "a macro body is raw text: its tags need not balance",
		src:  "<Macro VHost $name>\n<VirtualHost $name>\n</Macro>\n<macro X>\n</Directory>\n</MACRO>\n",
		want: "1:1-3:8 Macro VHost@1:8 $name@1:14\n  2:1-2:19 <VirtualHost $name>@2:14\n" +
			"4:1-6:8 macro X@4:8\n  5:1-5:12 </Directory>\n",
	},
	{
		name: "conditions stay as arguments",
		src:  "<IfVersion >= 2.4>\n<IfModule !mod_authz_core.c>\n</IfModule>\n</IfVersion>\n",
		want: "1:1-4:12 IfVersion >=@1:12 2.4@1:15\n  2:1-3:11 IfModule !mod_authz_core.c@2:11\n",
	},
	{
		name: "section without arguments",
		src:  "<If \"true\">\n</If>\n<Else>\nOptions None\n</Else>\n",
		want: "1:1-2:5 If \"true\"@1:5\n3:1-5:7 Else\n  4:1-4:12 Options None@4:9\n",
	},
}

func commentLines(cs []ast.Comment) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%d:%d %s", c.Pos.Line, c.Pos.Col, c.Text))
	}
	return out
}

// variants gives the same text with CRLF line ends and with a BOM; every
// position must come out the same.
func variants(src string) map[string]string {
	crlf := strings.ReplaceAll(src, "\n", "\r\n")
	return map[string]string{"LF": src, "CRLF": crlf, "BOM+LF": bom + src, "BOM+CRLF": bom + crlf}
}

func TestParseTree(t *testing.T) {
	for _, tc := range treeCases {
		for variant, src := range variants(tc.src) {
			t.Run(tc.name+"/"+variant, func(t *testing.T) {
				f, probs := Parse("x.conf", []byte(src), ast.KindApache)
				if got := dump(f.Nodes); got != tc.want {
					t.Errorf("tree:\n%s\nwant:\n%s", got, tc.want)
				}
				if got := commentLines(f.Comments); !slices.Equal(got, tc.comments) {
					t.Errorf("comments = %q, want %q", got, tc.comments)
				}
				wantProbs := 0
				if strings.HasPrefix(variant, "BOM") {
					wantProbs = 1 // Apache fails on a BOM; see TestParseProblems
				}
				if len(probs) != wantProbs {
					t.Errorf("problems = %q, want %d", problemLines(probs), wantProbs)
				}
				for _, n := range f.Nodes {
					if n.Pos.File != "x.conf" || n.Parent != nil {
						t.Errorf("top node %s: file %q parent %v", n.Name, n.Pos.File, n.Parent)
					}
					for _, c := range n.Children {
						if c.Parent != n {
							t.Errorf("child %s of %s has wrong parent", c.Name, n.Name)
						}
					}
				}
			})
		}
	}
}

func TestParseValues(t *testing.T) {
	cases := []struct {
		src   string
		want  []string
		quote []byte
	}{
		{`Define X "a\"b\\c\d"`, []string{"X", `a"b\c\d`}, []byte{0, '"'}},
		{`Define X 'it\'s' "it\'s"`, []string{"X", "it's", `it\'s`}, []byte{0, '\'', '"'}},
		{`Define X a\\b a\"b`, []string{"X", `a\b`, `a\"b`}, []byte{0, 0, 0}},
		{`RewriteRule ^(.*)\.php$ - [F]`, []string{`^(.*)\.php$`, "-", "[F]"}, []byte{0, 0, 0}},
		{`Define X ""`, []string{"X", ""}, []byte{0, '"'}},
	}
	for _, tc := range cases {
		f, probs := Parse("x.conf", []byte(tc.src), ast.KindApache)
		if len(probs) != 0 || len(f.Nodes) != 1 {
			t.Fatalf("%s: problems %q, %d nodes", tc.src, problemLines(probs), len(f.Nodes))
		}
		n := f.Nodes[0]
		if got := n.Values(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: values %q, want %q", tc.src, got, tc.want)
		}
		for i, a := range n.Args {
			if i < len(tc.quote) && a.Quote != tc.quote[i] {
				t.Errorf("%s: arg %d quote %q, want %q", tc.src, i, a.Quote, tc.quote[i])
			}
		}
	}
}

func TestParseProblems(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // "L:C message-prefix"
		tree      string   // when set, the recovered tree
	}{
		{
			name: "end tag of another section",
			src:  "<Directory /x>\nOptions None\n</Files>\nServerName a\n",
			want: []string{"3:1 Expected </Directory> but saw </Files>"},
			tree: "1:1-3:8 Directory /x@1:12\n  2:1-2:12 Options None@2:9\n4:1-4:12 ServerName a@4:12\n",
		},
		{
			name: "end tag of an outer section closes the inner one too",
			src:  "<VirtualHost *:80>\n<Directory /x>\n</VirtualHost>\nOptions None\n",
			want: []string{"3:1 Expected </Directory> but saw </VirtualHost>"},
			tree: "1:1-3:14 VirtualHost *:80@1:14\n  2:1-3:14 Directory /x@2:12\n4:1-4:12 Options None@4:9\n",
		},
		{
			name: "end tag with nothing open",
			src:  "Options None\n</Directory>\nServerName a\n",
			want: []string{"2:1 </Directory> without matching <Directory> section"},
			tree: "1:1-1:12 Options None@1:9\n3:1-3:12 ServerName a@3:12\n",
		},
		{
			name: "sections left open",
			src:  "<Directory /x>\n<Files a>\nOptions None\n",
			want: []string{"2:1 <Files> was not closed.", "1:1 <Directory> was not closed."},
			tree: "1:1-3:12 Directory /x@1:12\n  2:1-3:12 Files a@2:8\n    3:1-3:12 Options None@3:9\n",
		},
		{
			name: "start tag without >",
			src:  "<Directory /x\n</Directory>\n",
			want: []string{"1:1 <Directory> directive missing closing '>'"},
			tree: "1:1-2:12 Directory /x@1:12\n",
		},
		{
			name: "end tag with arguments",
			src:  "<Directory /x>\n</Directory foo>\n",
			want: []string{"2:1 </Directory> directive missing closing '>'"},
		},
		{
			name: "unterminated quote: httpd accepts it",
			src:  "Header set X \"abc\nServerName a\n",
			want: nil,
			tree: "1:1-1:17 Header set@1:8 X@1:12 \"abc\"@1:14\n2:1-2:12 ServerName a@2:12\n",
		},
		{
			name: "text after the > of a tag",
			src:  "<Directory /x> Options None\n</Directory> x\n",
			want: nil, // httpd drops the text silently, so it is no parse error
		},
		{
			name: "byte order mark",
			src:  bom + "Options None\n",
			want: []string{"1:1 file starts with a UTF-8 byte order mark"},
			tree: "1:1-1:12 Options None@1:9\n",
		},
		{
			name: "every error is reported",
			src:  "</Files>\n<Directory /x>\n</Location>\n<Files a\n",
			want: []string{
				"1:1 </Files> without matching <Files> section",
				"3:1 Expected </Directory> but saw </Location>",
				"4:1 <Files> directive missing closing '>'",
				"4:1 <Files> was not closed.",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, probs := Parse("x.conf", []byte(tc.src), ast.KindApache)
			got := problemLines(probs)
			if len(got) != len(tc.want) {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for i, w := range tc.want {
				lc, msg, _ := strings.Cut(w, " ")
				if !strings.HasPrefix(got[i], lc+" parse-error: "+msg) {
					t.Errorf("problem %d = %q, want %q", i, got[i], w)
				}
				if probs[i].Pos.File != "x.conf" || !probs[i].End.IsValid() {
					t.Errorf("problem %d has bad positions %v-%v", i, probs[i].Pos, probs[i].End)
				}
			}
			if tc.tree != "" {
				if d := dump(f.Nodes); d != tc.tree {
					t.Errorf("tree:\n%s\nwant:\n%s", d, tc.tree)
				}
			}
		})
	}
}

func TestParseHtaccessKind(t *testing.T) {
	f, probs := Parse(".htaccess", []byte("AuthType Basic\n<Files x>\nRequire valid-user\n</Files>\n"), ast.KindHtaccess)
	if f.Kind != ast.KindHtaccess || f.Path != ".htaccess" || len(probs) != 0 || len(f.Nodes) != 2 || len(f.Nodes[1].Children) != 1 {
		t.Fatalf("kind %s path %s problems %q nodes %d", f.Kind, f.Path, problemLines(probs), len(f.Nodes))
	}
}
