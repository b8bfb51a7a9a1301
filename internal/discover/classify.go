package discover

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/authlint/authlint/parser/ast"
)

// binaryProbe is how much of a file is searched for a NUL byte.
const binaryProbe = 8 << 10

// skippedExts are extensions of files that are never server configs; they
// are skipped by name, without reading them.
var skippedExts = set(
	".md", ".markdown", ".rst", ".adoc", ".html", ".htm", ".xhtml", ".xml", ".json",
	".yaml", ".yml", ".toml", ".ini", ".cfg", ".env", ".sh", ".bash", ".zsh", ".fish",
	".ps1", ".bat", ".cmd", ".py", ".rb", ".pl", ".pm", ".php", ".phtml", ".js",
	".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".css", ".scss", ".sass", ".less", ".go", ".c",
	".h", ".cc", ".cpp", ".java", ".rs", ".lua", ".sql", ".csv", ".tsv", ".log", ".lock",
	".svg", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".bmp", ".pdf", ".zip",
	".gz", ".tgz", ".bz2", ".xz", ".zst", ".tar", ".jar", ".so", ".dll", ".exe", ".woff",
	".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".pem", ".crt", ".key", ".csr",
	".der", ".p12", ".pub", ".gpg", ".asc", ".sig", ".patch", ".diff", ".swp", ".service",
	".socket", ".timer", ".mod", ".sum", ".po", ".mo", ".kt", ".kts", ".swift", ".scala",
	".cs", ".awk", ".sed", ".t", ".vim", ".el", ".tex", ".proto", ".golden", ".gradle", ".dart",
)

// skippedNames are base names (lower case, without extension) of files that
// are never server configs, whatever they contain. `magic` and `envvars`
// sit in /etc/apache2 but are a mime database and a shell script.
var skippedNames = set(
	"readme", "license", "copying", "changelog", "changes", "authors",
	"contributors", "notice", "makefile", "dockerfile", "containerfile", "jenkinsfile",
	"vagrantfile", "gemfile", "procfile", "magic", "envvars", "robots", "humans",
	"ssh_config", "sshd_config", "ld.so",
)

// templateSuffixes are stripped before the name is judged, so that
// httpd.conf.in or .htaccess.dist count as the file they are a copy of.
var templateSuffixes = []string{
	".in", ".template", ".tmpl", ".tpl", ".sample", ".dist", ".example", ".default",
	".orig", ".erb", ".j2", ".jinja", ".jinja2", ".txt",
}

// nameKinds are well-known file names and the server that reads them.
var nameKinds = map[string]ast.Kind{
	"nginx.conf":     ast.KindNginx,
	"fastcgi.conf":   ast.KindNginx,
	"fastcgi_params": ast.KindNginx,
	"scgi_params":    ast.KindNginx,
	"uwsgi_params":   ast.KindNginx,
	"proxy_params":   ast.KindNginx,
	"koi-utf":        ast.KindNginx,
	"koi-win":        ast.KindNginx,
	"win-utf":        ast.KindNginx,
	"mime.types":     ast.KindNginx, // only when it has a types {} block: Apache's has none
	"apache2.conf":   ast.KindApache,
	"httpd.conf":     ast.KindApache,
	"ports.conf":     ast.KindApache,
}

// skipByName reports whether a file is never a config because of its name.
func skipByName(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	if base == ".htaccess" {
		return false
	}
	ext := filepath.Ext(base)
	return skippedExts[ext] || skippedNames[strings.TrimSuffix(base, ext)] || skippedNames[base]
}

// Classify decides which server reads a file, from its name, the
// directories above it and its content. ok is false when the file is not a
// config authlint lints (or its content is too ambiguous to tell); reason
// says how the decision was made, for --verbose output and debugging.
//
// Name decides only for `.htaccess`. Well-known names (nginx.conf,
// httpd.conf, fastcgi_params...), the extensions .nginx and .load, and
// directories named like a server (nginx/, apache2/, httpd/) give a prior:
// the file is that kind when its content shows at least one signal of it
// and no more of the other. Without a prior the content must decide on its
// own: two known directive or block names (one in a *.conf file), and a
// score more than twice the other kind's and above the count of lines that
// look like neither.
func Classify(path string, content []byte) (ast.Kind, string, bool) {
	base := filepath.Base(filepath.ToSlash(path))
	if base == ".htaccess" {
		return ast.KindHtaccess, "name .htaccess", true
	}
	if skipByName(path) {
		return "", "name " + base + " is not a server config", false
	}
	if bytes.IndexByte(content[:min(len(content), binaryProbe)], 0) >= 0 {
		return "", "binary content", false
	}
	name := stripTemplateSuffixes(strings.ToLower(base))
	s := sniff(content)
	if s.veto != "" {
		return "", s.veto, false
	}
	evidence := fmt.Sprintf("nginx %d, apache %d, other %d", s.nginx, s.apache, s.other)

	if name == ".htaccess" || name == "htaccess" {
		if s.nginx > s.apache {
			return "", "htaccess-like name " + base + " but nginx content (" + evidence + ")", false
		}
		return ast.KindHtaccess, "htaccess-like name " + base + " (" + evidence + ")", true
	}
	prior, why := priorKind(path, name)
	if prior != "" {
		p, o := s.nginx, s.apache
		if prior == ast.KindApache {
			p, o = o, p
		}
		if p >= 1 && p >= o && p > s.other {
			return prior, why + ", content agrees (" + evidence + ")", true
		}
	}
	w, l, strong, kind := s.nginx, s.apache, s.nginxStrong, ast.KindNginx
	if s.apache > s.nginx {
		w, l, strong, kind = s.apache, s.nginx, s.apacheStrong, ast.KindApache
	}
	enough := strong >= 2 || strong == 1 && filepath.Ext(name) == ".conf"
	if enough && w > 2*l && w > s.other {
		return kind, "content (" + evidence + ")", true
	}
	if why != "" {
		return "", why + " but content does not agree (" + evidence + ")", false
	}
	return "", "content is not clearly nginx or apache (" + evidence + ")", false
}

// priorKind gives the kind a file's name or directories suggest, nearest
// evidence first: the file name, its extension, then the closest directory
// named after a server.
func priorKind(path, name string) (kind ast.Kind, why string) {
	if k, ok := nameKinds[name]; ok {
		return k, "name " + name
	}
	switch filepath.Ext(name) {
	case ".nginx":
		return ast.KindNginx, "extension .nginx"
	case ".load":
		return ast.KindApache, "extension .load"
	}
	dirs := strings.Split(strings.ToLower(filepath.ToSlash(filepath.Dir(path))), "/")
	for _, d := range slices.Backward(dirs) {
		switch {
		case strings.Contains(d, "nginx"):
			return ast.KindNginx, "under " + d + "/"
		case strings.Contains(d, "apache"), strings.Contains(d, "httpd"):
			return ast.KindApache, "under " + d + "/"
		}
	}
	return "", ""
}

// stripTemplateSuffixes removes trailing .in, .dist, .sample... repeatedly.
func stripTemplateSuffixes(name string) string {
	for {
		trimmed := name
		for _, s := range templateSuffixes {
			if strings.HasSuffix(trimmed, s) && len(trimmed) > len(s) {
				trimmed = strings.TrimSuffix(trimmed, s)
				break
			}
		}
		if trimmed == name {
			return name
		}
		name = trimmed
	}
}
