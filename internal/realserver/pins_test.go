package realserver

import (
	"path/filepath"
	"regexp"
	"strings"
)

// Whatever a server would write, it writes inside the render dir: a tree
// copied from /etc (pid /run/nginx.pid; CustomLog /var/log/...) must not
// touch the host's files. These rewrites keep such configs runnable.
var (
	// nginx main-context settings the command line (-g) sets.
	nginxMainPins = regexp.MustCompile(`(?m)^([ \t]*)(pid|daemon|master_process|worker_processes)([ \t][^;\n]*)?;`)
	// nginx log paths.
	nginxLogs = regexp.MustCompile(`(?m)((?:^|[;{}])[ \t]*(?:access_log|error_log)[ \t]+)(/[^\s;]+)`)
	// Apache files the server writes.
	apacheWrites = regexp.MustCompile(`(?mi)^([ \t]*(?:ErrorLog|CustomLog|TransferLog|PidFile|ScriptSock|GlobalLog)[ \t]+"?)(/[^\s"]+)`)
)

// pinWrites points absolute log, pid and socket paths outside dst into
// dst/log, and comments out the nginx main settings the runner passes with
// -g (they would be duplicates). Line numbers stay the same.
func pinWrites(text, server, dst string) string {
	inside := func(p string) bool { return strings.HasPrefix(p, dst+string(filepath.Separator)) }
	move := func(re *regexp.Regexp) func(string) string {
		return func(m string) string {
			s := re.FindStringSubmatch(m)
			if inside(s[2]) {
				return m
			}
			return s[1] + filepath.Join(dst, "log", filepath.Base(s[2]))
		}
	}
	if server == "nginx" {
		text = nginxMainPins.ReplaceAllString(text, "${1}# $2: set by the test runner;")
		return nginxLogs.ReplaceAllStringFunc(text, move(nginxLogs))
	}
	return apacheWrites.ReplaceAllStringFunc(text, move(apacheWrites))
}
