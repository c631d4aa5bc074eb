Console.WriteLine("not implemented yet");
return 2;
