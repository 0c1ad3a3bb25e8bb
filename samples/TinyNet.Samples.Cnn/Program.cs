using TinyNet.Samples.Cnn;

return CnnProgram.Run(args);
