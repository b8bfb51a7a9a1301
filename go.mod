module github.com/authlint/authlint

go 1.26

require (
	github.com/bmatcuk/doublestar/v4 v4.10.4
	github.com/tufanbarisyildirim/gonginx v0.0.0-20260220081509-8e17ce617db3
	gopkg.in/yaml.v3 v3.0.1
)
