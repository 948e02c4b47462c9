package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
)

// A command is one of mkggraph's subcommands. Each has a flag set of its
// own, holding the settings it reads (each also from its environment
// variable) and its own flags, and its own --help.
type command struct {
	name    string
	usage   string // the command line after "mkggraph"
	summary string // what it does, in a line or two
	// settings are the groups of settings it reads; the others keep their
	// defaults.
	settings []settingGroup
	// takesArgs says whether it reads arguments after its flags.
	takesArgs bool
	// define defines its own flags and returns what runs it.
	define func(fs *flag.FlagSet) action
}

// An action runs a command and returns its exit code: 0 done, 1 failed,
// 2 used wrongly (invocation.misuse).
type action func(ctx context.Context, in *invocation) int

// invocation is one run of a command: its settings read and checked, its
// arguments, its output.
type invocation struct {
	cmd            *command
	cfg            *Config
	log            *slog.Logger
	args           []string // after the flags
	stdout, stderr io.Writer
}

// commands are mkggraph's subcommands, in the order its help lists them.
var commands = []*command{
	{name: "serve", usage: "[serve] [flags]", summary: "run the server (GraphiQL at http://localhost:8080/graphiql/)",
		settings: []settingGroup{databaseSettings, fileSettings, redisSettings, serverSettings, feedSettings, webhookSettings, quotaSettings, logSettings}, define: defineServe},
	{name: "migrate", usage: "migrate [flags]", summary: "apply pending database migrations and exit",
		settings: []settingGroup{databaseSettings, logSettings}, define: defineMigrate},
	{name: "ingest", usage: "ingest [flags] FILE…", summary: "load data files (format detected from content)", takesArgs: true,
		settings: []settingGroup{databaseSettings, fileSettings, redisSettings, logSettings}, define: defineIngest},
	{name: "create-admin", usage: "create-admin -organisation ORG -name NAME -email EMAIL [flags]",
		summary:  "create an administrator account and print its API key (once)",
		settings: []settingGroup{databaseSettings, logSettings}, define: defineCreateAdmin},
	{name: "generate-volume", usage: "generate-volume [flags]",
		summary:  "fill the database with a year of synthetic data, marked synthetic\n(SYNOP, earthquakes, lightning, climate, air quality; README \"Volume data\")",
		settings: []settingGroup{databaseSettings, logSettings}, define: defineGenerateVolume},
}

// run is main with its dependencies passed in, so tests can drive it: it
// picks the command (serve when the first argument is a flag or there is
// none) and runs it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	name, rest := "serve", args
	if len(args) > 0 && (args[0] == "version" || args[0] == "--version" || args[0] == "-version") {
		fmt.Fprintln(stdout, versionLine())
		return 0
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, rest = args[0], args[1:]
	}
	if name == "help" { // mkggraph help [COMMAND]
		name, rest = "serve", []string{"--help"}
		if len(args) > 1 {
			name = args[1]
		}
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(stderr, "mkggraph: unknown command %q; commands: %s, help, version\n", name, strings.Join(commandNames(), ", "))
		return 2
	}
	return c.run(ctx, rest, getenv, stdout, stderr)
}

func lookup(name string) *command {
	i := slices.IndexFunc(commands, func(c *command) bool { return c.name == name })
	if i < 0 {
		return nil
	}
	return commands[i]
}

func commandNames() []string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return names
}

// flagSet defines the command's settings, bound to cfg, and its own flags.
func (c *command) flagSet(cfg *Config) (*flag.FlagSet, *settings, action) {
	fs := flag.NewFlagSet("mkggraph "+c.name, flag.ContinueOnError)
	fs.Usage = func() {} // a mistake is answered with one line and a pointer to --help
	s := &settings{fs: fs}
	for _, group := range c.settings {
		group(s, cfg)
	}
	return fs, s, c.define(fs)
}

// run reads the command line (flags over the environment over the
// defaults), checks the settings and runs the command.
func (c *command) run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg := defaultConfig()
	fs, s, act := c.flagSet(&cfg)
	fs.SetOutput(io.Discard) // the flag package's own lines; misuse says it in one
	in := &invocation{cmd: c, cfg: &cfg, stdout: stdout, stderr: stderr}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.help(stdout, fs, s)
			return 0
		}
		return in.misuse("%v", err)
	}
	if err := s.applyEnv(getenv); err != nil {
		return in.misuse("configuration: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		return in.misuse("configuration: %v", err)
	}
	in.args = fs.Args()
	if !c.takesArgs && len(in.args) > 0 {
		return in.misuse("unexpected argument %q", in.args[0])
	}
	in.log = newLogger(&cfg, stderr)
	return act(ctx, in)
}

// misuse says in one line on stderr what is wrong with the command line,
// and how to use the command, and returns exit code 2.
func (in *invocation) misuse(format string, args ...any) int {
	fmt.Fprintf(in.stderr, "mkggraph %s: %s (usage: mkggraph %s; 'mkggraph %s --help' lists its flags)\n",
		in.cmd.name, fmt.Sprintf(format, args...), in.cmd.usage, in.cmd.name)
	return 2
}

// versionLine names the build: the module's version ("(devel)" for a
// build from a work tree), the commit and its time, whether the tree had
// changes, and the Go release, as runtime/debug reads them from the
// binary.
func versionLine() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "mkggraph (no build information)"
	}
	return buildLine(info)
}

func buildLine(info *debug.BuildInfo) string {
	line := "mkggraph " + info.Main.Version
	set := map[string]string{}
	for _, s := range info.Settings {
		set[s.Key] = s.Value
	}
	if rev := set["vcs.revision"]; rev != "" {
		line += " commit " + rev
		if t := set["vcs.time"]; t != "" {
			line += " (" + t + ")"
		}
		if set["vcs.modified"] == "true" {
			line += " with uncommitted changes"
		}
	} else {
		line += " commit unknown"
	}
	return line + " " + info.GoVersion
}

// fail logs why the command failed and returns exit code 1.
func (in *invocation) fail(err error) int {
	in.log.Error(in.cmd.name+" failed", "err", err)
	return 1
}

const about = "MKG Graph: a GraphQL server for BMKG's meteorology, climatology and geophysics data.\n"

// help prints the command's help: for serve, the command is also the
// program, so its help lists every command.
func (c *command) help(w io.Writer, fs *flag.FlagSet, s *settings) {
	settingNames := map[string]bool{}
	for _, set := range s.list {
		settingNames[set.flag] = true
	}
	if c.name == "serve" {
		fmt.Fprintf(w, "%s\nUsage:\n", about)
		for _, other := range commands {
			lines := strings.Split(other.summary, "\n")
			line := "  mkggraph " + other.usage
			if len(line) < 36 {
				fmt.Fprintf(w, "%-36s%s\n", line, lines[0])
				lines = lines[1:]
			} else {
				fmt.Fprintln(w, line)
			}
			for _, l := range lines {
				fmt.Fprintf(w, "%36s%s\n", "", l)
			}
		}
		fmt.Fprintf(w, "  mkggraph help [COMMAND]             this help, or a command's\n  mkggraph --version                  the build's version and commit\n")
		fmt.Fprintf(w, "\n'mkggraph COMMAND --help' shows a command's flags.\n\nSettings of the server (each also read from the environment variable named):\n")
		printFlags(w, fs, func(name string) bool { return settingNames[name] })
		return
	}
	fmt.Fprintf(w, "Usage: mkggraph %s\n\n%s.\n", c.usage, strings.ToUpper(c.summary[:1])+strings.ReplaceAll(c.summary[1:], "\n", " "))
	own := false
	fs.VisitAll(func(f *flag.Flag) { own = own || !settingNames[f.Name] })
	if own {
		fmt.Fprintf(w, "\nFlags:\n")
		printFlags(w, fs, func(name string) bool { return !settingNames[name] })
	}
	fmt.Fprintf(w, "\nSettings (each also read from the environment variable named):\n")
	printFlags(w, fs, func(name string) bool { return settingNames[name] })
}

// printFlags prints the flags of fs that keep accepts, as PrintDefaults
// prints them all.
func printFlags(w io.Writer, fs *flag.FlagSet, keep func(name string) bool) {
	some := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	fs.VisitAll(func(f *flag.Flag) {
		if keep(f.Name) {
			some.Var(f.Value, f.Name, f.Usage)
			some.Lookup(f.Name).DefValue = f.DefValue
		}
	})
	some.SetOutput(w)
	some.PrintDefaults()
}
