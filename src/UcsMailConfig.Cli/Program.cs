using UcsMailConfig.Ucs;
UcsMailConfig.Ucs.FileCreationMask.Apply();
return UcsMailConfig.Cli.CliApp.Run(args, Console.Out, Console.Error);
