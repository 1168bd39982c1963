namespace Micro.Tooling.Alerts;

/// <summary>One line of an alert stream: parsed with its sequence status, or rejected with the reason.</summary>
public sealed record AlertStreamItem(int LineNumber, string Text, AlertLine? Line, SequenceObservation? Sequence, string? Error);

/// <summary>Reads an alert stream line by line, parsing each and tracking the sequence.</summary>
public static class AlertStreamReader
{
    public static IEnumerable<AlertStreamItem> Read(TextReader reader, SequenceTracker tracker)
    {
        int number = 0;
        string? text;
        while ((text = reader.ReadLine()) != null)
        {
            number++;
            if (AlertParser.TryParse(text, out var line, out var error))
            {
                yield return new AlertStreamItem(number, text, line, tracker.Observe(line!), null);
            }
            else
            {
                tracker.Reject();
                yield return new AlertStreamItem(number, text, null, null, $"line {number}: {error}");
            }
        }
    }
}
