using PracticePlatform.Evaluation;

// ./evaluate.sh TRANSCRIPTS_DIR LABELS_DIR [PREDICTIONS_DIR]: the table on stdout, progress and errors on stderr.
return args.Length is 2 or 3
    ? EvaluationRun.Run(args[0], args[1], args.Length == 3 ? args[2] : null, Console.Out, Console.Error)
    : EvaluationRun.Usage(Console.Error);
