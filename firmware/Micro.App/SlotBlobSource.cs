using System;

namespace Micro.App
{
    /// <summary>
    /// The board's storage as a model source with safe updates. `micro deploy --model` copies a new blob to
    /// the incoming file (nanoff cannot know which slot is inactive); at boot this source first settles the
    /// slots (confirms or rolls back a trial), then, when an incoming file is there, installs it into the
    /// inactive slot (<see cref="ModelSlots.Install"/>), deletes it and boots again, so a model that fails its
    /// CRC or self-test never replaces the one that ran before. A power cut between install and delete only
    /// installs the same blob again on the next boot.
    /// </summary>
    public sealed class SlotBlobSource : IBlobSource
    {
        private readonly IModelStore store;
        private readonly string incoming;
        private readonly IBlobCheck check;
        private readonly string name;

        public SlotBlobSource(string name, IModelStore store, string incoming, IBlobCheck check)
        {
            if (store == null) throw new ArgumentNullException("store");
            if (check == null) throw new ArgumentNullException("check");
            this.name = name;
            this.store = store;
            this.incoming = incoming;
            this.check = check;
        }

        public string Name { get { return name; } }

        /// <summary>What the last Read did with the slots (ModelSlots.LastBoot), for the boot report.</summary>
        public string LastBoot;

        public byte[] Read()
        {
            ModelSlots slots = new ModelSlots(store);
            byte[] blob = slots.Boot(check);
            byte[] fresh = incoming == null ? null : store.Read(incoming);
            if (fresh != null)
            {
                slots.Install(fresh);
                fresh = null;
                store.Delete(incoming);
                blob = null;
                blob = slots.Boot(check);
            }
            LastBoot = slots.LastBoot;
            return blob;
        }
    }
}
