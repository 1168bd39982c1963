namespace Micro.HostTools;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("micro: no verbs yet");
        return 2;
    }
}
