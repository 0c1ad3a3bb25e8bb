using System.Text;

namespace TinyNet.Data;

/// <summary>
/// Splits CSV text into records of fields, as RFC 4180 writes them: a field in double quotes may
/// hold the separator, line breaks and doubled quotes (<c>""</c>). Lines that are empty are
/// skipped. Each record knows the line it starts on, for error messages.
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly char _separator;
    private readonly string _source;
    private readonly StringBuilder _field = new();
    private int _line = 1;

    public CsvRecordReader(TextReader reader, char separator, string source)
    {
        _reader = reader;
        _separator = separator;
        _source = source;
    }

    /// <summary>The next record and the line it starts on, or null at the end of the text.</summary>
    public (List<string> Fields, int Line)? Next()
    {
        while (_reader.Peek() is '\n' or '\r')
        {
            ReadLineBreak();
        }

        if (_reader.Peek() < 0)
        {
            return null;
        }

        int start = _line;
        var fields = new List<string>();
        while (true)
        {
            bool endOfRecord = ReadField(start);
            fields.Add(_field.ToString());
            if (endOfRecord)
            {
                return (fields, start);
            }
        }
    }

    /// <summary>Reads one field into <see cref="_field"/>; true when it ended its record.</summary>
    private bool ReadField(int recordLine)
    {
        _field.Clear();
        if (_reader.Peek() == '"')
        {
            _reader.Read();
            while (true)
            {
                int c = _reader.Read();
                if (c < 0)
                {
                    throw new InvalidDataException($"{_source}: line {recordLine}: a quoted field is not closed before the end of the file.");
                }

                if (c == '"')
                {
                    if (_reader.Peek() != '"')
                    {
                        break;
                    }

                    _reader.Read();
                }
                else if (c == '\n')
                {
                    _line++;
                }

                _field.Append((char)c);
            }

            int next = _reader.Peek();
            if (next >= 0 && next != _separator && next != '\n' && next != '\r')
            {
                throw new InvalidDataException($"{_source}: line {_line}: unexpected '{(char)next}' after a closing quote.");
            }
        }

        while (true)
        {
            int c = _reader.Peek();
            if (c < 0)
            {
                return true;
            }

            if (c is '\n' or '\r')
            {
                ReadLineBreak();
                return true;
            }

            _reader.Read();
            if (c == _separator)
            {
                return false;
            }

            _field.Append((char)c);
        }
    }

    private void ReadLineBreak()
    {
        if (_reader.Read() == '\r' && _reader.Peek() == '\n')
        {
            _reader.Read();
        }

        _line++;
    }
}
