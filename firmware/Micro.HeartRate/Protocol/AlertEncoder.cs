using System;
using Micro.HeartRate.Alarms;
using Micro.HeartRate.Signal;

namespace Micro.HeartRate.Protocol
{
    /// <summary>
    /// Writes alert lines (docs/alert-protocol.md) as ASCII bytes into a caller-owned buffer, digits by
    /// hand, with the CRC-16 and the newline; allocates nothing. Owns the sequence counter: every line
    /// written takes the next number.
    /// </summary>
    public sealed class AlertEncoder
    {
        private uint sequence;
        private byte[] buf;
        private int pos;

        /// <summary>Sequence number the next line will carry.</summary>
        public uint NextSequence { get { return sequence; } }

        /// <summary>Writes the BOOT line (normally the first, sequence 0). Returns its length.</summary>
        public int EncodeBoot(long uptimeMs, byte[] buffer, int offset)
        {
            return Encode(AlertProtocol.BootKind, AlertProtocol.NoValue, uptimeMs, 0, 0, -1, SignalQuality.Poor, false, 0, buffer, offset);
        }

        /// <summary>Writes a STATUS line for an analysis step. Returns its length.</summary>
        public int EncodeStatus(AnalysisResult r, byte[] buffer, int offset)
        {
            return Encode(AlertProtocol.StatusKind, AlertProtocol.NoValue, r.UptimeMs, r.RateBpm, r.RateConfidencePercent,
                r.IrregularityPermille, r.Quality, r.Moving, r.ActiveAlarms, buffer, offset);
        }

        /// <summary>Writes the line for an alarm raised or cleared during step r. Returns its length.</summary>
        public int EncodeEvent(AlarmEvent e, AnalysisResult r, byte[] buffer, int offset)
        {
            return Encode(AlertProtocol.AlarmToken(e.Kind), e.Raised ? AlertProtocol.PhaseOn : AlertProtocol.PhaseOff, e.UptimeMs,
                e.RateBpm, e.ConfidencePercent, r.IrregularityPermille, r.Quality, r.Moving, r.ActiveAlarms, buffer, offset);
        }

        /// <summary>
        /// Writes one line from its fields (rate ≤ 0 and irregularity &lt; 0 are written as "-"). The buffer
        /// needs MaxLineLength bytes from offset. Returns the length including the newline.
        /// </summary>
        public int Encode(string kind, string phase, long uptimeMs, int rateBpm, int confidencePercent, int irregularityPermille,
            SignalQuality quality, bool moving, int activeMask, byte[] buffer, int offset)
        {
            if (buffer == null || offset < 0 || buffer.Length - offset < AlertProtocol.MaxLineLength)
                throw new ArgumentException("alert buffer needs 80 bytes from offset");
            buf = buffer;
            pos = offset;
            Text(AlertProtocol.Tag);
            Comma();
            Number(AlertProtocol.Version);
            Comma();
            Number(sequence);
            Comma();
            Number((uint)(uptimeMs & 0xFFFFFFFFL));
            Comma();
            Text(kind);
            Comma();
            Text(phase);
            Comma();
            if (rateBpm <= 0) Text(AlertProtocol.NoValue);
            else Number((uint)(rateBpm > AlertProtocol.MaxRateBpm ? AlertProtocol.MaxRateBpm : rateBpm));
            Comma();
            Number((uint)IntMath.Clamp(confidencePercent, 0, 100));
            Comma();
            if (irregularityPermille < 0) Text(AlertProtocol.NoValue);
            else Number((uint)(irregularityPermille > 1000 ? 1000 : irregularityPermille));
            Comma();
            Text(AlertProtocol.QualityToken(quality));
            Comma();
            Text(moving ? AlertProtocol.MotionMove : AlertProtocol.MotionRest);
            Comma();
            int mask = activeMask & AlertProtocol.ActiveMaskBits;
            Hex(mask >> 4);
            Hex(mask & 0xF);
            int crc = Crc16.Compute(buffer, offset, pos - offset);
            buf[pos++] = (byte)'*';
            Hex(crc >> 12);
            Hex((crc >> 8) & 0xF);
            Hex((crc >> 4) & 0xF);
            Hex(crc & 0xF);
            buf[pos++] = (byte)'\n';
            sequence++;
            buf = null;
            return pos - offset;
        }

        private void Comma()
        {
            buf[pos++] = (byte)',';
        }

        private void Text(string s)
        {
            int n = s.Length;
            for (int i = 0; i < n; i++) buf[pos++] = (byte)s[i];
        }

        private void Number(uint v)
        {
            // Highest power of ten first; no temporary digit buffer needed.
            uint div = 1;
            while (v / div >= 10) div *= 10;
            while (div > 0)
            {
                buf[pos++] = (byte)('0' + (int)(v / div % 10));
                div /= 10;
            }
        }

        private void Hex(int nibble)
        {
            buf[pos++] = (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
        }
    }
}
