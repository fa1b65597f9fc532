// The papyra command. Program only composes: the tree is in CommandTree, the commands in
// Commands/, rendering in Rendering/, and the exit-code contract in Errors/.
using Papyra.Cli;
using Papyra.Cli.Errors;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(CommandTree.Configure);
return await ErrorBoundary.RunAsync(() => app.RunAsync(CommandTree.NormaliseArguments(args)), args, Console.Error).ConfigureAwait(false);
