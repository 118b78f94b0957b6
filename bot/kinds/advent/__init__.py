"""The advent kind (bot side): day posts, the recap, entries' modals and Home section."""
