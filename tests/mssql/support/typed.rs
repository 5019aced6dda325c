//! A TDS server for the cell types mssql-mock-tds cannot send (`datetime2`, `date`): it uses
//! the mock's pre-login and login answers, then answers every request with one result set
//! encoded here, exactly as SQL Server encodes the views' columns.

use std::net::SocketAddr;

use mssql_mock_tds::protocol::{
    build_done_token, build_login_ack, build_prelogin_response, PacketHeader, PacketType,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A column type as it appears in COLMETADATA.
#[derive(Clone, Copy)]
pub enum Kind {
    /// nvarchar(200)
    Text,
    /// int
    Int,
    /// datetime2(3)
    DateTime2,
    /// date
    Date,
}

/// A cell of a row; `None` is NULL.
pub enum Cell {
    Text(Option<&'static str>),
    Int(Option<i32>),
    /// Days since 0001-01-01 and milliseconds since midnight.
    DateTime2(Option<(u32, u32)>),
    Date(Option<u32>),
}

/// COLMETADATA, ROW tokens and DONE for `columns` and `rows`.
pub fn result_set(columns: &[(&str, Kind)], rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut out = vec![0x81];
    out.extend_from_slice(&(columns.len() as u16).to_le_bytes());
    for (name, kind) in columns {
        out.extend_from_slice(&0u32.to_le_bytes()); // user type
        out.extend_from_slice(&1u16.to_le_bytes()); // flags: nullable
        match kind {
            Kind::Text => {
                out.push(0xE7);
                out.extend_from_slice(&400u16.to_le_bytes());
                out.extend_from_slice(&[0x09, 0x04, 0xD0, 0x00, 0x34]);
            }
            Kind::Int => out.extend_from_slice(&[0x26, 4]),
            Kind::DateTime2 => out.extend_from_slice(&[0x2A, 3]),
            Kind::Date => out.push(0x28),
        }
        let units: Vec<u16> = name.encode_utf16().collect();
        out.push(units.len() as u8);
        units
            .iter()
            .for_each(|u| out.extend_from_slice(&u.to_le_bytes()));
    }
    for row in rows {
        out.push(0xD1);
        for cell in row {
            encode(&mut out, cell);
        }
    }
    out.extend_from_slice(&build_done_token(rows.len() as u64));
    out
}

fn encode(out: &mut Vec<u8>, cell: &Cell) {
    match cell {
        Cell::Text(None) => out.extend_from_slice(&0xFFFFu16.to_le_bytes()),
        Cell::Text(Some(text)) => {
            let units: Vec<u16> = text.encode_utf16().collect();
            out.extend_from_slice(&((units.len() * 2) as u16).to_le_bytes());
            units
                .iter()
                .for_each(|u| out.extend_from_slice(&u.to_le_bytes()));
        }
        Cell::Int(None) | Cell::DateTime2(None) | Cell::Date(None) => out.push(0),
        Cell::Int(Some(n)) => {
            out.push(4);
            out.extend_from_slice(&n.to_le_bytes());
        }
        Cell::DateTime2(Some((days, millis))) => {
            // Scale 3: the time is 4 bytes of milliseconds, then the date's 3 bytes.
            out.push(7);
            out.extend_from_slice(&millis.to_le_bytes());
            out.extend_from_slice(&days.to_le_bytes()[..3]);
        }
        Cell::Date(Some(days)) => {
            out.push(3);
            out.extend_from_slice(&days.to_le_bytes()[..3]);
        }
    }
}

fn packet(tokens: &[u8]) -> Vec<u8> {
    let mut packet = Vec::new();
    PacketHeader::new(PacketType::TabularResult, (8 + tokens.len()) as u16, 1).write(&mut packet);
    packet.extend_from_slice(tokens);
    packet
}

async fn read_packet(socket: &mut tokio::net::TcpStream) -> Option<()> {
    let mut header = [0u8; 8];
    socket.read_exact(&mut header).await.ok()?;
    let length = usize::from(u16::from_be_bytes([header[2], header[3]]));
    let mut body = vec![0u8; length.saturating_sub(8)];
    socket.read_exact(&mut body).await.ok()?;
    Some(())
}

/// Serves plain-TDS connections that answer every request with `tokens`.
pub async fn serve(tokens: Vec<u8>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let tokens = tokens.clone();
            tokio::spawn(async move {
                read_packet(&mut socket).await?;
                socket.write_all(&build_prelogin_response()).await.ok()?;
                read_packet(&mut socket).await?;
                let mut login = build_login_ack().to_vec();
                login.extend_from_slice(&build_done_token(0));
                socket.write_all(&packet(&login)).await.ok()?;
                while read_packet(&mut socket).await.is_some() {
                    socket.write_all(&packet(&tokens)).await.ok()?;
                }
                Some(())
            });
        }
    });
    addr
}
