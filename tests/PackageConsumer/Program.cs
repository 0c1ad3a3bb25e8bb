using TinyNet;
using TinyNet.Data;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Onnx;
using TinyNet.Optimizers;
using TinyNet.Training;

// XOR: four points, two classes, one small MLP.
var inputs = Tensor.FromArray([0, 0, 0, 1, 1, 0, 1, 1], 4, 2);
var labels = Tensor.FromArray([0, 1, 1, 0], 4);
var model = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 2));
var trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.Parameters, 0.05f),
    new TrainerOptions { Epochs = 300, BatchSize = 4 });
Console.WriteLine(trainer.Plan(4));
TrainingResult result = trainer.Fit(new Dataset(inputs, labels));

int[] predicted = model.PredictClasses(inputs);
int correct = Enumerable.Range(0, 4).Count(i => predicted[i] == (int)labels.ToArray()[i]);
Console.WriteLine($"{result}; XOR correct: {correct}/4");
OnnxExporter.Export(model, "xor.onnx", 2); // one sample is 2 features; any batch size runs
return correct == 4 && File.Exists("xor.onnx") ? 0 : 1;
