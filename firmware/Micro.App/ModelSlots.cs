using System;
using Micro.HeartRate.Protocol;

namespace Micro.App
{
    /// <summary>
    /// Safe model updates on the board's storage: two slots (slot0.mblob, slot1.mblob) and a 12-byte manifest
    /// kept in two copies (manifest0, manifest1). A manifest says which slot is active, which one was active
    /// before, and whether the active one is still on trial; it carries a sequence number and a CRC-16, and the
    /// valid copy with the higher sequence wins. Writes alternate between the copies, so a power cut that tears
    /// one leaves the other, older one intact.
    /// <para>
    /// <see cref="Install"/> writes a new blob to the inactive slot only, then a manifest that makes it active
    /// on trial (the old slot stays as "previous"). <see cref="Boot"/> checks the active slot (CRC and
    /// self-test, <see cref="IBlobCheck"/>): on success a trial is confirmed; on failure it rolls back to the
    /// previous slot and says so. The active or previous slot is never written while it may be the only good
    /// model, so a cut at any step leaves a model Boot can find (tests/Micro.App.Tests/ModelSlotsTests cut
    /// the power at every write step).
    /// </para>
    /// </summary>
    public sealed class ModelSlots
    {
        public const string Slot0 = "slot0.mblob";
        public const string Slot1 = "slot1.mblob";
        private const int None = 255;
        private const int ManifestBytes = 12;

        private readonly IModelStore store;
        private uint seq;
        private int active = None;
        private int previous = None;
        private bool trial;

        public ModelSlots(IModelStore store)
        {
            if (store == null) throw new ArgumentNullException("store");
            this.store = store;
            ReadManifest();
        }

        /// <summary>Active slot (0 or 1), or -1 when none.</summary>
        public int Active { get { return active == None ? -1 : active; } }

        /// <summary>True while the active slot has not yet passed a boot check.</summary>
        public bool OnTrial { get { return trial; } }

        /// <summary>What the last Boot did: "active", "confirmed", "rolled back: …", "found", or why nothing ran.</summary>
        public string LastBoot;

        /// <summary>The slot a blob was last booted from, or -1.</summary>
        public int BootedSlot = -1;

        private static string SlotName(int slot) { return slot == 0 ? Slot0 : Slot1; }

        /// <summary>
        /// Writes blob to the inactive slot and makes it active on trial. Refused while the active slot is
        /// itself on trial (Boot first): its predecessor is then the only model known to be good.
        /// </summary>
        public void Install(byte[] blob)
        {
            if (blob == null) throw new ArgumentNullException("blob");
            if (trial) throw new InvalidOperationException("the active model is still on trial: boot it before installing another");
            int target = active == 0 ? 1 : 0;
            store.Write(SlotName(target), blob);
            WriteManifest(target, active, true);
        }

        /// <summary>
        /// The blob to run, or null when no slot holds one that passes the check. Confirms a trial that
        /// passes, rolls back one that fails; without a usable manifest takes any slot that passes.
        /// </summary>
        public byte[] Boot(IBlobCheck check)
        {
            if (check == null) throw new ArgumentNullException("check");
            string why;
            BootedSlot = -1;
            if (active != None)
            {
                byte[] blob = store.Read(SlotName(active));
                if (check.Accept(blob, out why))
                {
                    LastBoot = trial ? "confirmed" : "active";
                    if (trial) WriteManifest(active, previous, false);
                    BootedSlot = active;
                    return blob;
                }
                string failed = "slot " + active + ": " + why;
                if (previous != None)
                {
                    byte[] old = store.Read(SlotName(previous));
                    string whyOld;
                    if (check.Accept(old, out whyOld))
                    {
                        int back = previous;
                        WriteManifest(back, None, false);
                        LastBoot = "rolled back: " + failed;
                        BootedSlot = back;
                        return old;
                    }
                }
                LastBoot = failed;
            }
            // No manifest (or no usable slot in it): any slot that passes, slot 0 first.
            for (int s = 0; s < 2; s++)
            {
                if (s == active) continue;
                byte[] blob = store.Read(SlotName(s));
                if (blob != null && check.Accept(blob, out why))
                {
                    WriteManifest(s, None, false);
                    LastBoot = "found";
                    BootedSlot = s;
                    return blob;
                }
            }
            if (LastBoot == null) LastBoot = "no model in storage";
            return null;
        }

        private void ReadManifest()
        {
            bool found = false;
            for (int c = 0; c < 2; c++)
            {
                byte[] m = store.Read("manifest" + c);
                if (m == null || m.Length != ManifestBytes || m[0] != (byte)'M' || m[1] != (byte)'S') continue;
                if (Crc16.Compute(m, 0, 10) != (m[10] | (m[11] << 8))) continue;
                uint s = (uint)(m[2] | (m[3] << 8) | (m[4] << 16) | (m[5] << 24));
                if (found && s <= seq) continue;
                if (m[6] > 1 && m[6] != None || m[7] > 1 && m[7] != None) continue;
                found = true;
                seq = s;
                active = m[6];
                previous = m[7];
                trial = m[8] != 0;
            }
        }

        private void WriteManifest(int newActive, int newPrevious, bool newTrial)
        {
            uint s = seq + 1;
            byte[] m = new byte[ManifestBytes];
            m[0] = (byte)'M';
            m[1] = (byte)'S';
            m[2] = (byte)s;
            m[3] = (byte)(s >> 8);
            m[4] = (byte)(s >> 16);
            m[5] = (byte)(s >> 24);
            m[6] = (byte)newActive;
            m[7] = (byte)newPrevious;
            m[8] = (byte)(newTrial ? 1 : 0);
            int crc = Crc16.Compute(m, 0, 10);
            m[10] = (byte)crc;
            m[11] = (byte)(crc >> 8);
            store.Write("manifest" + (s & 1), m);
            seq = s;
            active = newActive;
            previous = newPrevious;
            trial = newTrial;
        }
    }
}
