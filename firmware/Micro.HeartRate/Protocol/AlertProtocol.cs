using Micro.HeartRate.Alarms;
using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Protocol
{
    /// <summary>
    /// Constants of the alert line protocol (docs/alert-protocol.md), shared by the device encoder and the
    /// host parser.
    /// </summary>
    public static class AlertProtocol
    {
        /// <summary>Protocol version written in field 2.</summary>
        public const int Version = 1;

        /// <summary>Field 1 of every line.</summary>
        public const string Tag = "MHR";

        /// <summary>Longest line including the newline.</summary>
        public const int MaxLineLength = 80;

        /// <summary>Fields before the '*' (tag to active mask).</summary>
        public const int FieldCount = 12;

        public const string BootKind = "BOOT";

        public const string StatusKind = "STATUS";

        public const string PhaseOn = "ON";

        public const string PhaseOff = "OFF";

        public const string NoValue = "-";

        public const string MotionRest = "REST";

        public const string MotionMove = "MOVE";

        /// <summary>Highest heart rate a line may carry.</summary>
        public const int MaxRateBpm = 300;

        /// <summary>Mask of the defined active-alarm bits.</summary>
        public const int ActiveMaskBits = (1 << AlarmKinds.Count) - 1;

        /// <summary>Kind token of each alarm, indexed by (int)AlarmKind.</summary>
        public static readonly string[] AlarmTokens = { "BRADY", "TACHY", "IRREG", "NOPULSE", "CONTACT", "MODEL" };

        /// <summary>Quality token of each SignalQuality, indexed by its value.</summary>
        public static readonly string[] QualityTokens = { "GOOD", "FAIR", "POOR", "FLAT", "CLIP", "NOPULSE", "MOTION", "NOSENSOR" };

        public static string AlarmToken(AlarmKind kind) { return AlarmTokens[(int)kind]; }

        public static string QualityToken(SignalQuality quality) { return QualityTokens[(int)quality]; }
    }
}
