return UcsMailConfig.Cli.CliApp.Run(args, Console.Out, Console.Error);
