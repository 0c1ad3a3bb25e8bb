"""PyTorch's side of the interop tests: safetensors files and torch.nn.Sequential.

Safetensors is read and written here with json and struct alone (an 8-byte little-endian
header length, a JSON header, the tensors' bytes), so nothing beyond torch is needed.

  python3 torch_interop.py load  KIND MODEL INPUTS ROWS OUTPUTS
      Loads MODEL (written by TinyNet) into the reference Sequential of KIND (mlp or cnn) with
      load_state_dict(strict=True) and writes its outputs for INPUTS.
  python3 torch_interop.py save  KIND MODEL INPUTS ROWS OUTPUTS
      Writes a seeded reference Sequential's state dict to MODEL (the cnn's after a few training
      steps, so its BatchNorm buffers have moved), and its outputs for INPUTS.

INPUTS and OUTPUTS are raw little-endian float32, row-major; ROWS is the sample count.
"""
import json
import struct
import sys

import torch


def reference_model(kind):
    if kind == "cnn":
        return torch.nn.Sequential(
            torch.nn.Conv2d(1, 4, 3, padding=1),
            torch.nn.BatchNorm2d(4),
            torch.nn.ReLU(),
            torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(4, 6, 3, stride=2, bias=False),
            torch.nn.AvgPool2d(2),
            torch.nn.Flatten(),
            torch.nn.Linear(6, 5),
            torch.nn.LayerNorm(5),
            torch.nn.Linear(5, 3),
        )
    return torch.nn.Sequential(
        torch.nn.Linear(4, 16),
        torch.nn.ReLU(),
        torch.nn.Linear(16, 8),
        torch.nn.GELU(approximate="tanh"),
        torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.Tanh()),
        torch.nn.Linear(8, 3, bias=False),
    )


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = data[8 + length :]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": torch.float32, "I64": torch.int64}[entry["dtype"]]
        begin, end = entry["data_offsets"]
        values = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype)
        tensors[name] = values.reshape(entry["shape"]).clone()
    return tensors


def write_safetensors(path, tensors):
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, tensor in tensors.items():
        dtype = "I64" if tensor.dtype == torch.int64 else "F32"
        raw = tensor.detach().contiguous().numpy().astype("<i8" if dtype == "I64" else "<f4").tobytes()
        header[name] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))


def run(model, kind, inputs_path, rows, outputs_path):
    with open(inputs_path, "rb") as f:
        inputs = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
    inputs = inputs.reshape(rows, 1, 12, 12) if kind == "cnn" else inputs.reshape(rows, -1)
    model.eval()
    with torch.no_grad():
        outputs = model(inputs)
    with open(outputs_path, "wb") as f:
        f.write(outputs.contiguous().numpy().astype("<f4").tobytes())


def main():
    mode, kind, model_path, inputs_path, rows, outputs_path = sys.argv[1:7]
    model = reference_model(kind)
    if mode == "load":
        model.load_state_dict(read_safetensors(model_path), strict=True)
    else:
        torch.manual_seed(7)
        model = reference_model(kind)
        if kind == "cnn":
            for _ in range(3):
                model(torch.randn(8, 1, 12, 12))
        write_safetensors(model_path, model.state_dict())
    run(model, kind, inputs_path, int(rows), outputs_path)


if __name__ == "__main__":
    main()
