// Command authlint lints the authentication rules of nginx, Apache httpd 2.4
// and .htaccess configurations.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}
