// The papyra command. Program only composes; commands live in Commands/.
using Papyra;

Console.Error.WriteLine("papyra: no commands yet.");
return PapyraExitCodes.UsageError;
