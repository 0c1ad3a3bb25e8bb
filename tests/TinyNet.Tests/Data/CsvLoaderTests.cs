using System.Text;
using TinyNet.Data;

namespace TinyNet.Tests.Data;

[TestFixture]
public sealed class CsvLoaderTests : TemporaryFolder
{
    [Test]
    public void Class_labels_become_sorted_indices_and_features_keep_their_order()
    {
        CsvData data = Read("sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.5,setosa\n");
        Assert.That(data.FeatureNames, Is.EqualTo(new[] { "sepal", "petal" }));
        Assert.That(data.TargetName, Is.EqualTo("species"));
        Assert.That(data.ClassLabels, Is.EqualTo(new[] { "setosa", "versicolor", "virginica" }));
        Assert.That(data.Dataset.Inputs.Shape, Is.EqualTo(new[] { 4, 2 }));
        Assert.That(data.Dataset.Inputs.ToArray(), Is.EqualTo(new[] { 5.1f, 1.4f, 7.0f, 4.7f, 6.3f, 6.0f, 4.9f, 1.5f }));
        Assert.That(data.Dataset.Targets.Shape, Is.EqualTo(new[] { 4 }));
        Assert.That(data.Dataset.Targets.ToArray(), Is.EqualTo(new[] { 0f, 1f, 2f, 0f }));
    }

    [Test]
    public void A_numeric_target_is_regression_unless_classification_is_asked_for()
    {
        const string text = "x,y\n1,10\n2,2\n3,-1.5e1\n";
        CsvData regression = Read(text);
        Assert.That(regression.ClassLabels, Is.Null);
        Assert.That(regression.Dataset.Targets.Shape, Is.EqualTo(new[] { 3, 1 }));
        Assert.That(regression.Dataset.Targets.ToArray(), Is.EqualTo(new[] { 10f, 2f, -15f }));

        CsvData classes = Read("x,y\n1,10\n2,2\n3,2\n", new CsvOptions { TargetKind = CsvTargetKind.Classification });
        Assert.That(classes.ClassLabels, Is.EqualTo(new[] { "2", "10" }), "numeric labels sort as numbers");
        Assert.That(classes.Dataset.Targets.ToArray(), Is.EqualTo(new[] { 1f, 0f, 0f }));
    }

    [Test]
    public void The_target_is_chosen_by_name_or_index_and_columns_can_be_ignored()
    {
        const string text = "id;label;a;b\r\n7;yes;1;2\r\n8;no;3;4\r\n";
        CsvData byName = Read(text, new CsvOptions { Separator = ';', TargetColumn = "label", IgnoredColumns = ["id"] });
        Assert.That(byName.FeatureNames, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(byName.Dataset.Inputs.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
        Assert.That(byName.Dataset.Targets.ToArray(), Is.EqualTo(new[] { 1f, 0f }));

        CsvData byIndex = Read("1,2,5\n3,4,6\n", new CsvOptions { HasHeader = false, TargetColumnIndex = 0 });
        Assert.That(byIndex.FeatureNames, Is.EqualTo(new[] { "column1", "column2" }));
        Assert.That(byIndex.TargetName, Is.EqualTo("column0"));
        Assert.That(byIndex.Dataset.Inputs.ToArray(), Is.EqualTo(new[] { 2f, 5f, 4f, 6f }));
        Assert.That(byIndex.Dataset.Targets.ToArray(), Is.EqualTo(new[] { 1f, 3f }));
    }

    [Test]
    public void Quoted_fields_hold_separators_quotes_and_line_breaks_and_blank_lines_are_skipped()
    {
        CsvData data = Read("\"a,1\",b,\"the \"\"kind\"\"\"\n\n1,2,\"x\ny\"\n3,4,z\n\n");
        Assert.That(data.FeatureNames, Is.EqualTo(new[] { "a,1", "b" }));
        Assert.That(data.TargetName, Is.EqualTo("the \"kind\""));
        Assert.That(data.ClassLabels, Is.EqualTo(new[] { "x\ny", "z" }));
    }

    [Test]
    public void Given_class_labels_fix_the_mapping_across_files()
    {
        var options = new CsvOptions { ClassLabels = ["setosa", "versicolor", "virginica"] };
        CsvData test = Read("a,s\n1,virginica\n2,setosa\n", options);
        Assert.That(test.Dataset.Targets.ToArray(), Is.EqualTo(new[] { 2f, 0f }));
        Assert.That(test.ClassLabels, Is.EqualTo(options.ClassLabels));
        var error = Assert.Throws<InvalidDataException>(() => Read("a,s\n1,virginica\n2,daisy\n", options));
        Assert.That(error!.Message, Does.Contain("line 3, column 2 ('s')").And.Contain("'daisy'"));
    }

    [TestCase("a,b,y\n1,2,0\n3,,1\n", "line 3, column 2 ('b'): the value is missing")]
    [TestCase("a,b,y\n1,2,0\n3,x4,1\n", "line 3, column 2 ('b'): 'x4' is not a number")]
    [TestCase("a,b,y\n1,2,0\n3,NaN,1\n", "line 3, column 2 ('b'): 'NaN' is not a finite float")]
    [TestCase("a,b,y\n1,2,0\n3,4\n", "line 3 has 2 fields; the header has 3")]
    [TestCase("a,b,y\n1,2,0\n3,4,1,5\n", "line 3 has 4 fields")]
    [TestCase("a,b,y\n1,2,0\n3,4,\n", "line 3, column 3 ('y'): the target value is missing")]
    [TestCase("a,b,y\n1,\"2,0\n", "line 2: a quoted field is not closed")]
    [TestCase("a,b,y\n1,\"2\"x,0\n", "line 2: unexpected 'x' after a closing quote")]
    [TestCase("a,b,y\n", "holds no data rows")]
    [TestCase("", "is empty")]
    [TestCase("y\n1\n", "at least one feature column")]
    public void A_malformed_file_names_the_line_and_column(string text, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(text));
        Assert.That(error!.Message, Does.Contain(message));
    }

    [Test]
    public void Options_that_do_not_fit_the_file_are_argument_errors()
    {
        const string text = "a,b,y\n1,2,0\n";
        Assert.That(Assert.Throws<ArgumentException>(() => Read(text, new CsvOptions { TargetColumn = "z" }))!.Message, Does.Contain("'z' is not a column").And.Contain("a, b, y"));
        Assert.That(Assert.Throws<ArgumentException>(() => Read(text, new CsvOptions { TargetColumnIndex = 3 }))!.ParamName, Is.EqualTo("options"));
        Assert.That(Assert.Throws<ArgumentException>(() => Read(text, new CsvOptions { IgnoredColumns = ["a", "b"] }))!.Message, Does.Contain("no feature column"));
        Assert.That(Assert.Throws<ArgumentException>(() => Read(text, new CsvOptions { HasHeader = false, TargetColumn = "y" }))!.ParamName, Is.EqualTo("options"));
        Assert.That(Assert.Throws<ArgumentException>(() => Read(text, new CsvOptions { Separator = '"' }))!.ParamName, Is.EqualTo("options"));
    }

    [Test]
    public void A_path_reads_like_a_stream_and_a_directory_is_an_argument_error()
    {
        string path = Path.Combine(Folder, "data.csv");
        File.WriteAllText(path, "\uFEFFa,y\n1,p\n2,q\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        CsvData data = CsvLoader.Load(path);
        Assert.That(data.FeatureNames, Is.EqualTo(new[] { "a" }), "the byte-order mark is not part of the first name");
        Assert.That(data.Dataset.Count, Is.EqualTo(2));
        Assert.That(Assert.Throws<ArgumentException>(() => CsvLoader.Load(Folder))!.ParamName, Is.EqualTo("path"));
        var missing = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(WriteFile("bad.csv", "a,y\n1\n")));
        Assert.That(missing!.Message, Does.StartWith("bad.csv: line 2"));
    }

    private string WriteFile(string name, string text)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static CsvData Read(string text, CsvOptions? options = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return CsvLoader.Read(stream, options);
    }
}
