module github.com/authlint/authlint

go 1.26

require (
	github.com/bmatcuk/doublestar/v4 v4.10.4
	github.com/tufanbarisyildirim/gonginx v0.0.0-20260220081509-8e17ce617db3
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/owenrumney/go-sarif/v3 v3.3.1 // indirect
	github.com/xeipuuv/gojsonpointer v0.0.0-20180127040702-4e3ac2762d5f // indirect
	github.com/xeipuuv/gojsonreference v0.0.0-20180127040603-bd5ef7bd5415 // indirect
	github.com/xeipuuv/gojsonschema v1.2.0 // indirect
)
