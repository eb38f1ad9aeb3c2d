using System.Net;
using System.Net.Sockets;

namespace PracticePlatform.NativeHosting;

public static class Ports
{
    /// <summary>True when nothing listens on 127.0.0.1:<paramref name="port"/> and we may bind it.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A loopback port the operating system just handed out and released.</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static void EnsureFree(int port, string owner)
    {
        if (!IsFree(port))
        {
            throw new PlatformStartException(
                $"Port {port} for {owner} is already in use by another process. " +
                $"Find it with `ss -ltnp 'sport = :{port}'` and stop it, or choose another port.");
        }
    }
}

/// <summary>A start-up failure with a message meant for a person: what went wrong and what to do.</summary>
public sealed class PlatformStartException(string message, Exception? inner = null) : Exception(message, inner);
