using TinyNet.Samples.Mlp;

return SampleProgram.Run(args);
