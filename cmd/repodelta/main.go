// Command repodelta parses package repository indexes, publishes the
// packages that changed, and projects them into ClickHouse.
package main

func main() {}
